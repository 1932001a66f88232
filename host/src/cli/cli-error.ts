/**
 * An error the CLI reports as one plain line (no stack trace) before exiting with `exitCode`.
 *
 * @example
 * ```ts
 * throw new CliError(`Cannot read ${path}: no such file`, 2);
 * ```
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
