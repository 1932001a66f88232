import { EngineError } from '../../execution/engine-error.js';
import { SandboxError } from '../../ports/code-sandbox.js';

/** Maps a sandbox failure in a code node to an engine error with a stable code. */
export function toEngineErrorFromSandbox(e: unknown): unknown {
  if (!(e instanceof SandboxError)) return e;
  if (e.kind === 'timeout') return new EngineError('SANDBOX_TIMEOUT', e.message);
  if (e.kind === 'memory') return new EngineError('SANDBOX_MEMORY', e.message);
  return new EngineError(
    'NODE_ERROR',
    e.message,
    e.where.itemIndex === undefined ? undefined : { itemIndex: e.where.itemIndex },
  );
}
