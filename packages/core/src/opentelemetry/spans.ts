// How spans carry errors and trace context: the propagator's view of request headers, a failed span's
// status and `error.type`, a GraphQL error's code; shared by every span openTelemetry() starts.
import { SpanStatusCode, type Span, type TextMapGetter } from '@opentelemetry/api';
import type { DoitongRequest } from '@doitong/core';

export const headerGetter: TextMapGetter<DoitongRequest['headers']> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => headers[key.toLowerCase()],
};

/** A GraphQL error's code, from the Doitong error behind it or its own extensions. */
export function errorCode(error: unknown): string {
  const original = (error as { originalError?: { code?: unknown } }).originalError;
  if (typeof original?.code === 'string') return original.code;
  const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
  return typeof code === 'string' ? code : 'GRAPHQL_ERROR';
}

/** Marks a span failed by a thrown error; `error.type` is the Doitong error code where there is one. */
export function fail(span: Span, error: unknown): void {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (error instanceof Error) span.recordException(error);
  span.setAttribute('error.type', typeof code === 'string' ? code : error instanceof Error ? error.name : '_OTHER');
  span.setStatus({ code: SpanStatusCode.ERROR, ...(error instanceof Error ? { message: error.message } : {}) });
}
