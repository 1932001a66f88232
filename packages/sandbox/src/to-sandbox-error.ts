import { SandboxError, type SandboxLimits } from '@weft/engine';
import { OUTPUT_MARKER } from './program-wrappers.js';

/** What went wrong with an isolate call, as the pool needs to know it. */
export interface IsolateFailure {
  error: SandboxError;
  /** The isolate can no longer be trusted or used and must be disposed and replaced. */
  fatal: boolean;
}

/**
 * Translates what isolated-vm threw during a call into a {@link SandboxError} naming the node
 * (`label`) and the limit that was hit.
 *
 * @example
 * ```ts
 * const { error, fatal } = toSandboxError(e, 'Compute', { timeoutMs: 50, memoryMb: 32 }, isolate.isDisposed);
 * // error.kind === 'timeout', error.message === 'Compute: code did not finish within 50 ms'
 * ```
 */
export function toSandboxError(
  thrown: unknown,
  label: string,
  limits: SandboxLimits,
  isolateDisposed: boolean,
): IsolateFailure {
  if (thrown instanceof SandboxError) return { error: thrown, fatal: isolateDisposed };
  // isolated-vm appends a position inside the wrapped program, meaningless to the user.
  const message = (thrown instanceof Error ? thrown.message : String(thrown)).replace(
    / \[<isolated-vm>:\d+:\d+\]$/,
    '',
  );
  const name = thrown instanceof Error ? thrown.name : '';
  if (/memory limit/i.test(message) || (isolateDisposed && /out of memory|allocation failed/i.test(message))) {
    return {
      error: new SandboxError(
        'memory',
        `${label}: exceeded the ${limits.memoryMb} MB memory limit; its isolate was disposed`,
      ),
      fatal: true,
    };
  }
  if (/execution timed out/i.test(message)) {
    return { error: timeoutError(label, limits), fatal: true };
  }
  if (message.startsWith(OUTPUT_MARKER)) {
    const size = message.slice(OUTPUT_MARKER.length);
    return {
      error: new SandboxError('output', `${label}: the result is ${size} characters of JSON, more than allowed`),
      fatal: false,
    };
  }
  if (name === 'SyntaxError') {
    return { error: new SandboxError('syntax', `${label}: SyntaxError: ${message}`), fatal: false };
  }
  if (isolateDisposed) {
    return { error: new SandboxError('error', `${label}: the sandbox was closed during the call`), fatal: true };
  }
  return {
    error: new SandboxError('error', `${label}: ${name && name !== 'Error' ? `${name}: ` : ''}${message}`),
    fatal: false,
  };
}

/**
 * The error of a call that ran out of time.
 *
 * @example
 * ```ts
 * throw timeoutError('Compute', { timeoutMs: 1000, memoryMb: 64 });
 * ```
 */
export function timeoutError(label: string, limits: SandboxLimits): SandboxError {
  return new SandboxError('timeout', `${label}: code did not finish within ${limits.timeoutMs} ms`);
}
