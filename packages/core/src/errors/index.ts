export { errorCodes, isErrorCode, type ErrorCode } from './codes';
export { DoitongError, ProviderError, isDoitongError, type DoitongErrorOptions } from './doitong-error';
