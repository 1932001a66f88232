import type { ExecutionError } from '@weft/engine';
import { isSealed, openJson, type SealedPayload, type SubjectKey, sealJson } from './sealed-payload.js';

/** The message a sealed error is stored with; the real one is inside the envelope. */
export const SEALED_ERROR_MESSAGE = '[sealed]';

/** The message of an error whose key was destroyed (erasure). */
export const ERASED_ERROR_MESSAGE = '[erased]';

/**
 * An execution or node-run error as stored once sealed: the machine-readable fields (`code`,
 * `nodeId`, `nodeName`) stay plain, so retries, filters and dashboards keep working; the message
 * and details (which often quote the payload: "invalid email ada@…") travel encrypted in `details`.
 */
export interface SealedExecutionError extends ExecutionError {
  message: typeof SEALED_ERROR_MESSAGE;
  /** A {@link SealedPayload} of `{ message, details }`. */
  details: NonNullable<ExecutionError['details']>;
}

/** Whether an error is a {@link SealedExecutionError}. */
export function isSealedError(error: ExecutionError | undefined): error is SealedExecutionError {
  return error !== undefined && error.message === SEALED_ERROR_MESSAGE && isSealed(error.details);
}

function plainFields(error: ExecutionError): Pick<ExecutionError, 'code' | 'nodeId' | 'nodeName'> {
  const out: Pick<ExecutionError, 'code' | 'nodeId' | 'nodeName'> = { code: error.code };
  if (error.nodeId !== undefined) out.nodeId = error.nodeId;
  if (error.nodeName !== undefined) out.nodeName = error.nodeName;
  return out;
}

/**
 * Seals an error's message and details with a data key, keeping code and node plain.
 *
 * @example
 * ```ts
 * const stored = sealError({ message: 'no user ada@example.org', code: 'NODE_ERROR' }, key, 'sk_1');
 * stored.message; // '[sealed]'
 * openError(stored, key).message; // 'no user ada@example.org'
 * ```
 */
export function sealError(error: ExecutionError, key: SubjectKey, keyId: string): SealedExecutionError {
  const secret: { message: string; details?: ExecutionError['details'] } = { message: error.message };
  if (error.details !== undefined) secret.details = error.details;
  return {
    ...plainFields(error),
    message: SEALED_ERROR_MESSAGE,
    details: sealJson(secret, key, keyId) as unknown as SealedExecutionError['details'],
  };
}

/**
 * Opens a {@link SealedExecutionError}; with no key (destroyed by erasure) the message reads
 * {@link ERASED_ERROR_MESSAGE} and the details are gone.
 */
export function openError(error: SealedExecutionError, key: SubjectKey | undefined): ExecutionError {
  if (!key) return { ...plainFields(error), message: ERASED_ERROR_MESSAGE };
  const secret = openJson(error.details as unknown as SealedPayload, key) as Pick<
    ExecutionError,
    'message' | 'details'
  >;
  const out: ExecutionError = { ...plainFields(error), message: secret.message };
  if (secret.details !== undefined) out.details = secret.details;
  return out;
}
