/**
 * Structured logger, shaped like pino's so a pino instance can be passed as is.
 *
 * @example
 * ```ts
 * const log: Logger = pino();
 * log.child({ executionId }).info({ node: 'Set' }, 'node executed');
 * ```
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}
