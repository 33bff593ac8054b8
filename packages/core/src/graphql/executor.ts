import { execute, Kind, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { GraphQLTelemetry } from './graphql-telemetry';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

export interface ExecutorOptions {
  /**
   * Run documents that are used again through graphql-jit, which compiles an operation into a
   * JavaScript function once (no per-request walk of the AST, variable coercion generated for
   * the operation's own variables). False runs every request through graphql-js. Default true.
   */
  compiled: boolean;
  /** A span around each operation, when the host turned telemetry on. */
  telemetry?: GraphQLTelemetry;
}

/** Uses of a document before it is compiled: a document seen once is not worth compiling. */
const compileAfterUses = 2;

/** Compiled operations per prepared document; weak, so they leave with the document cache's entries. */
interface CompiledEntry {
  uses: number;
  operations: Map<string | null, CompiledQuery | null>;
}

/**
 * Runs an operation of a parsed and validated document. Compiled operations are kept
 * beside the document in the same bounded cache's lifetime, so a flood of distinct documents can
 * never grow them past the document cache; an operation graphql-jit cannot compile runs through
 * graphql-js, with the same results.
 */
export class OperationExecutor {
  readonly #schema: GraphQLSchema;
  readonly #compiled: boolean;
  readonly #telemetry: GraphQLTelemetry | undefined;
  readonly #entries = new WeakMap<DocumentNode, CompiledEntry>();

  constructor(schema: GraphQLSchema, options: ExecutorOptions) {
    this.#schema = schema;
    this.#compiled = options.compiled;
    this.#telemetry = options.telemetry;
  }

  execute(
    document: DocumentNode,
    operationName: string | null,
    variables: Record<string, unknown> | null,
    context: unknown,
  ): Promise<ExecutionResult> | ExecutionResult {
    const compiled = this.#compiled ? this.#compiledFor(document, operationName) : null;
    if (this.#telemetry) {
      const operation = operationOf(document, operationName);
      return this.#telemetry.operation({ type: operation?.operation ?? 'query', name: operation?.name?.value ?? null, compiled: compiled !== null }, () =>
        this.#run(compiled, document, operationName, variables, context),
      );
    }
    return this.#run(compiled, document, operationName, variables, context);
  }

  #run(
    compiled: CompiledQuery | null,
    document: DocumentNode,
    operationName: string | null,
    variables: Record<string, unknown> | null,
    context: unknown,
  ): Promise<ExecutionResult> | ExecutionResult {
    if (!compiled) return this.#interpret(document, operationName, variables, context);
    const result = compiled.query(undefined, context, variables ?? {});
    // Variables that do not coerce stop a request before anything runs; graphql-js words those
    // errors better (it names the nested field), so it answers them.
    const retryRefused = (answer: ExecutionResult) =>
      'data' in answer && answer.data !== undefined ? answer : this.#interpret(document, operationName, variables, context);
    return result instanceof Promise ? result.then(retryRefused) : retryRefused(result);
  }

  #interpret(document: DocumentNode, operationName: string | null, variables: Record<string, unknown> | null, context: unknown) {
    return execute({ schema: this.#schema, document, operationName, variableValues: variables, contextValue: context });
  }

  #compiledFor(document: DocumentNode, operationName: string | null): CompiledQuery | null {
    let entry = this.#entries.get(document);
    if (!entry) this.#entries.set(document, (entry = { uses: 0, operations: new Map() }));
    if (++entry.uses < compileAfterUses) return null;
    if (entry.operations.has(operationName)) return entry.operations.get(operationName)!;
    let compiled: CompiledQuery | null = null;
    try {
      const result = compileQuery(this.#schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true });
      if (isCompiledQuery(result)) compiled = result;
    } catch {
      // An operation the compiler does not support: graphql-js runs it.
      compiled = null;
    }
    entry.operations.set(operationName, compiled);
    return compiled;
  }
}

/** The operation a request runs: the named one, or the document's only one. */
function operationOf(document: DocumentNode, operationName: string | null): OperationDefinitionNode | undefined {
  let found: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName === null ? found === undefined : definition.name?.value === operationName) found = definition;
  }
  return found;
}
