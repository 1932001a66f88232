import type { JsonValue, QueueJob } from '@weft/engine';

const TRACE = 'weft:trace';
const PAYLOAD = 'weft:payload';

/**
 * What a queue job keeps in the `payload` column: its payload as is, or, when the job carries a
 * trace context, `{"weft:trace": {traceparent, …}, "weft:payload": payload}`, so the context
 * travels with the job without a schema change. A payload that itself looks like that envelope
 * is wrapped too, so {@link readJobPayload} gives back exactly what was enqueued.
 *
 * @example
 * ```ts
 * storedJobPayload({ workspaceId: 'ws', executionId: 'e1', kind: 'start', trace: { traceparent } });
 * // { 'weft:trace': { traceparent } }
 * ```
 */
export function storedJobPayload(job: Pick<QueueJob, 'payload' | 'trace'>): JsonValue | undefined {
  if (!job.trace && !isEnvelope(job.payload)) return job.payload;
  const stored: { [key: string]: JsonValue } = { [TRACE]: job.trace ?? {} };
  if (job.payload !== undefined) stored[PAYLOAD] = job.payload;
  return stored;
}

/**
 * Sets `job.payload` and `job.trace` from a decoded `payload` column (see {@link storedJobPayload}).
 *
 * @example
 * ```ts
 * const job: QueueJob = { workspaceId, executionId, kind: 'start' };
 * readJobPayload(job, decodeJson(dialect, row.payload));
 * ```
 */
export function readJobPayload(job: QueueJob, stored: unknown): QueueJob {
  if (stored === undefined) return job;
  if (!isEnvelope(stored)) {
    job.payload = stored as JsonValue;
    return job;
  }
  const trace = stored[TRACE] as Record<string, string>;
  if (Object.keys(trace).length > 0) job.trace = trace;
  if (PAYLOAD in stored) job.payload = stored[PAYLOAD] as JsonValue;
  return job;
}

function isEnvelope(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const trace = (value as Record<string, unknown>)[TRACE];
  if (typeof trace !== 'object' || trace === null || Array.isArray(trace)) return false;
  return Object.keys(value).every((k) => k === TRACE || k === PAYLOAD);
}
