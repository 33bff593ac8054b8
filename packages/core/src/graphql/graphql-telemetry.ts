/**
 * What the GraphQL executor reports to telemetry: a span around each operation. The executor
 * states what it needs here and the host's `Telemetry` (in `telemetry/`) provides it, so the
 * dependency points one way.
 */
export interface GraphQLTelemetry {
  /** Runs one GraphQL operation (graphql-js or the graphql-jit compiled function) inside its span. */
  operation<Result extends { errors?: readonly unknown[] }>(
    operation: { type: string; name: string | null; compiled: boolean },
    execute: () => Promise<Result> | Result,
  ): Promise<Result> | Result;
}
