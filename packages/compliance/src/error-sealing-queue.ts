import type { ClaimedJob, DeadLetter, EnqueueOptions, JobQueue, QueueJob } from '@weft/engine';
import { ERASED_ERROR_MESSAGE } from './sealed-error.js';
import { isSealed, openJson, type SealedPayload, sealJson } from './sealed-payload.js';
import type { SubjectKeys } from './subject-sealing-store.js';

/** How a sealed job error is stored: this prefix, then the JSON of a {@link SealedPayload}. */
export const SEALED_TEXT_PREFIX = 'weft-sealed:';

/**
 * A {@link JobQueue} decorator that seals the error text a worker stores with a job
 * (`queue_jobs.last_error` on retry, `dead_letters.error` on giving up) with the key its execution's
 * payloads are sealed with: the workspace's payload key when it encrypts payloads at rest, or the
 * data subject's key. Error messages quote payloads ("no customer ada@…"), so they must not stay
 * plain where the payloads are not. Dead letters read through it are opened again; once a subject's
 * key is destroyed their error reads `[erased]`. Jobs of executions that are not sealed pass through
 * after one key lookup; everything else is the inner queue's.
 *
 * Give it to the `Worker` (which writes the errors) and to whatever lists dead letters; the engine
 * itself may keep the inner queue.
 *
 * @example
 * ```ts
 * const jobs = new ErrorSealingQueue(queue, keys);
 * new Worker({ engine, queue: jobs }).start();
 * (await jobs.listDeadLetters())[0]?.error; // the plain message
 * ```
 */
export class ErrorSealingQueue implements JobQueue {
  readonly #inner: JobQueue;
  readonly #keys: SubjectKeys;

  constructor(inner: JobQueue, keys: SubjectKeys) {
    this.#inner = inner;
    this.#keys = keys;
  }

  async retry(job: ClaimedJob, options: { runAt?: number; error?: string } = {}): Promise<void> {
    if (options.error === undefined) return this.#inner.retry(job, options);
    return this.#inner.retry(job, { ...options, error: await this.#seal(job.job, options.error) });
  }

  async deadLetter(job: ClaimedJob, error: string): Promise<void> {
    return this.#inner.deadLetter(job, await this.#seal(job.job, error));
  }

  async listDeadLetters(options?: { limit?: number }): Promise<DeadLetter[]> {
    const letters = await this.#inner.listDeadLetters(options);
    return Promise.all(letters.map(async (d) => ({ ...d, error: await this.openText(d.error) })));
  }

  /** Opens an error text sealed by this queue (others are answered as they are). */
  async openText(text: string): Promise<string> {
    if (!text.startsWith(SEALED_TEXT_PREFIX)) return text;
    let sealed: unknown;
    try {
      sealed = JSON.parse(text.slice(SEALED_TEXT_PREFIX.length));
    } catch {
      return text;
    }
    if (!isSealed(sealed)) return text;
    const key = await this.#keys.key(sealed.$sealed.kid);
    return key ? String(openJson(sealed, key)) : ERASED_ERROR_MESSAGE;
  }

  async #seal(job: QueueJob, text: string): Promise<string> {
    const keyId = await this.#keys.executionKey(job.executionId);
    if (keyId === null) return text;
    const key = await this.#keys.key(keyId);
    // The subject was erased: nothing of the message is kept.
    if (!key) return ERASED_ERROR_MESSAGE;
    return `${SEALED_TEXT_PREFIX}${JSON.stringify(sealJson(text, key, keyId))}`;
  }

  enqueue(job: QueueJob, options?: EnqueueOptions): Promise<{ id: string; duplicate: boolean }> {
    return this.#inner.enqueue(job, options);
  }

  claim(options: { workerId: string; leaseMs: number; max: number }): Promise<ClaimedJob[]> {
    return this.#inner.claim(options);
  }

  extend(job: ClaimedJob, leaseMs: number): Promise<boolean> {
    return this.#inner.extend(job, leaseMs);
  }

  hasJob(dedupeKey: string): Promise<boolean> {
    return this.#inner.hasJob(dedupeKey);
  }

  ack(job: ClaimedJob): Promise<void> {
    return this.#inner.ack(job);
  }

  replayDeadLetter(id: string): Promise<boolean> {
    return this.#inner.replayDeadLetter(id);
  }

  discardDeadLetter(id: string): Promise<boolean> {
    return this.#inner.discardDeadLetter(id);
  }

  waitForJobs(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.#inner.waitForJobs(timeoutMs, signal);
  }

  stats(): Promise<{ ready: number; delayed: number; running: number; deadLetters: number; oldestReadyAgeMs: number }> {
    return this.#inner.stats();
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
