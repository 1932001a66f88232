import { type EngineEvent, ExecutionWaiters } from '@weft/engine';
import type pg from 'pg';
import type { PostgresQueueSignals } from './postgres-queue-signals.js';

const ENDS = new Set(['workflow:completed', 'workflow:failed', 'workflow:cancelled', 'workflow:waiting']);
/** NOTIFY payloads must stay under 8000 bytes; larger events go without their output. */
const MAX_PAYLOAD = 7900;

/**
 * Tells every process on one Postgres that an execution ended or parked, without Redis: the
 * process that ran it sends the terminal engine events of one turn of the event loop as one
 * `pg_notify` (a JSON array, split only where it would outgrow a notification), and processes waiting for it (a host answering a webhook that a
 * worker ran) are woken on the queue's LISTEN connection. An event too large for a notification
 * goes without `output`/`response`, and the waiter reads the store. At most once: a waiter must
 * still read the store now and then in case a notification was lost.
 *
 * @example
 * ```ts
 * const notices = new PostgresExecutionNotices({ pool, signals, channel: 'weft_ends' });
 * await notices.start();
 * engine.events$.subscribe((e) => notices.publish(e));
 * const { promise } = notices.waitFor(executionId, 30_000);
 * ```
 */
export class PostgresExecutionNotices {
  readonly #pool: pg.Pool;
  readonly #signals: PostgresQueueSignals;
  readonly #channel: string;
  readonly #waiters = new ExecutionWaiters();
  #batch: string[] = [];
  #stop: (() => void) | undefined;
  #sending = new Set<Promise<unknown>>();

  constructor(options: { pool: pg.Pool; signals: PostgresQueueSignals; channel: string }) {
    this.#pool = options.pool;
    this.#signals = options.signals;
    this.#channel = options.channel;
  }

  /** Starts listening; resolves once notifications sent from now on arrive. */
  async start(): Promise<void> {
    this.#stop ??= await this.#signals.listen(this.#channel, (payload) => {
      try {
        const parsed = JSON.parse(payload) as EngineEvent | EngineEvent[];
        for (const event of Array.isArray(parsed) ? parsed : [parsed])
          if (typeof event?.executionId === 'string' && ENDS.has(event.type)) this.#waiters.observe(event);
      } catch {
        // not one of ours: ignore
      }
    });
  }

  /** Sends `event` to every listening process if it ends or parks an execution; other events are ignored. */
  publish(event: EngineEvent): void {
    if (!ENDS.has(event.type)) return;
    let payload = JSON.stringify(event);
    if (payload.length > MAX_PAYLOAD) {
      const { output: _o, response: _r, ...rest } = event as EngineEvent & { output?: unknown; response?: unknown };
      payload = JSON.stringify(rest);
      if (payload.length > MAX_PAYLOAD) payload = JSON.stringify({ type: event.type, executionId: event.executionId });
    }
    if (this.#batch.length === 0) setImmediate(() => this.#flush());
    this.#batch.push(payload);
  }

  /** Resolves with the event that ends or parks `executionId`, or undefined after `timeoutMs` (or `cancel`). */
  waitFor(executionId: string, timeoutMs: number): { promise: Promise<EngineEvent | undefined>; cancel: () => void } {
    return this.#waiters.waitFor(executionId, timeoutMs);
  }

  /** Sends what is pending and stops listening. */
  async close(): Promise<void> {
    if (this.#batch.length) this.#flush();
    await Promise.allSettled([...this.#sending]);
    this.#stop?.();
    this.#stop = undefined;
  }

  #flush(): void {
    const payloads = this.#batch;
    this.#batch = [];
    if (payloads.length === 0) return;
    const messages: string[] = [];
    let current: string[] = [];
    let size = 2;
    for (const p of payloads) {
      const bytes = Buffer.byteLength(p) + 1;
      if (current.length > 0 && size + bytes > MAX_PAYLOAD) {
        messages.push(`[${current.join(',')}]`);
        current = [];
        size = 2;
      }
      current.push(p);
      size += bytes;
    }
    messages.push(`[${current.join(',')}]`);
    const sent = this.#pool
      .query('select pg_notify($1, p) from unnest($2::text[]) as p', [this.#channel, messages])
      .catch(() => {
        // a lost notice only delays a waiter until its next store read
      });
    this.#sending.add(sent);
    void sent.finally(() => this.#sending.delete(sent));
  }
}
