/** A pino-compatible subset, so a host can pass its pino, bunyan or console adapter. */
export interface Logger {
  error(object: Record<string, unknown>, message?: string): void;
  warn(object: Record<string, unknown>, message?: string): void;
  info(object: Record<string, unknown>, message?: string): void;
  debug?(object: Record<string, unknown>, message?: string): void;
}

export const consoleLogger: Logger = {
  error: (object, message) => console.error(message ?? '', object),
  warn: (object, message) => console.warn(message ?? '', object),
  info: (object, message) => console.info(message ?? '', object),
};

export const silentLogger: Logger = { error() {}, warn() {}, info() {} };
