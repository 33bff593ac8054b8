export { DoitongClient, type DoitongClientOptions, type GenerateOptions, type RequestOptions, type WaitOptions } from './client';
export { DoitongError, isDoitongError, errorCodes, clientErrorCodes, type DoitongErrorCode, type DoitongErrorOptions } from './errors';
export { readEvents, type ServerSentEvent } from './event-stream';
export * from './types';
