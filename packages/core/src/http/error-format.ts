import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DoitongError, isDoitongError } from '../errors';
import type { Logger } from '../logger';

/**
 * Turns any error into what a caller may see. Our own errors keep their code and details;
 * GraphQL's request errors get the code of their kind; everything else is masked and logged.
 */
export function formatError(error: GraphQLError, logger: Logger, fallbackCode = 'INTERNAL_SERVER_ERROR'): GraphQLFormattedError {
  const original = error.originalError;
  if (isDoitongError(original)) return withExtensions(error, original.toExtensions());
  if (original && !(original instanceof GraphQLError)) {
    logger.error({ err: original, path: error.path }, 'unexpected error during execution');
    return { message: 'Unexpected error.', ...(error.path ? { path: error.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR', retryable: true } };
  }
  return withExtensions(error, { code: fallbackCode, retryable: false });
}

function withExtensions(error: GraphQLError, extensions: Record<string, unknown>): GraphQLFormattedError {
  const formatted: {
    message: string;
    locations?: GraphQLFormattedError['locations'];
    path?: GraphQLFormattedError['path'];
    extensions: Record<string, unknown>;
  } = {
    message: error.message,
    extensions,
  };
  if (error.locations) formatted.locations = error.locations;
  if (error.path) formatted.path = error.path;
  return formatted;
}

/** A request-level error body: no `data` entry, one error with its code. */
export function errorBody(error: DoitongError): string {
  return JSON.stringify({ errors: [{ message: error.message, extensions: error.toExtensions() }] });
}
