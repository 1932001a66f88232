import { randomBytes } from 'node:crypto';
import type { ClaimedJob, Clock, DeadLetter, EnqueueOptions, JobQueue, QueueJob } from '@weft/engine';
import type { LuaScript } from './lua-script.js';
import {
  ackScript,
  claimScript,
  deadLetterScript,
  discardDeadScript,
  enqueueScript,
  extendScript,
  listDeadScript,
  nextDueScript,
  replayDeadScript,
  retryScript,
  statsScript,
} from './queue-scripts.js';
import type { RedisClient } from './redis-client.js';
import { TickBatch } from './tick-batch.js';
import { WakeChannel } from './wake-channel.js';

/**
 * Options of {@link RedisQueue}.
 *
 * @example
 * ```ts
 * const options: RedisQueueOptions = { redis, prefix: 'acme', name: 'executions' };
 * ```
 */
export interface RedisQueueOptions {
  /** A connected ioredis client you built; the queue uses it but never closes it. */
  redis: RedisClient;
  /** Key prefix; default `weft`. Keys are `<prefix>:{<name>}:...`. */
  prefix?: string;
  /** Queue name; default `jobs`. Queues with different names are independent. */
  name?: string;
  /**
   * Where "now" comes from. By default the Redis server's clock, so every process agrees on when
   * a lease lapses; pass a clock (e.g. the engine's `ManualClock`) to drive time from tests.
   */
  clock?: Clock;
}

type Reply = unknown[];

/**
 * The engine's `JobQueue` on Redis, for worker mode: any number of processes claim jobs with
 * leases, and a job whose worker died (lease lapsed) is handed out again with `attempt + 1`.
 * Every operation is one atomic Lua script; a job is never held by two live leases, and stale
 * tokens (from a lapsed and re-claimed lease) are rejected. `waitForJobs` wakes on a pub/sub
 * message published by the same script that makes a job ready. Semantics match the engine's
 * `MemoryQueue`; see docs/decisions/0002-redis-queue.md for why this is not built on BullMQ.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const queue = new RedisQueue({ redis: new Redis(process.env.REDIS_URL!), name: 'executions' });
 * await queue.enqueue({ workspaceId: 'ws', executionId: 'ex1', kind: 'start' }, { dedupeKey: 'ex1' });
 * const [claimed] = await queue.claim({ workerId: 'w1', leaseMs: 30_000, max: 1 });
 * if (claimed) await queue.ack(claimed);
 * ```
 */
export class RedisQueue implements JobQueue {
  readonly #redis: RedisClient;
  readonly #base: string;
  readonly #keys: string[];
  readonly #clock: Clock | undefined;
  readonly #wake: WakeChannel;
  /** Enqueues and acks of one turn of the event loop go to Redis as one script run each. */
  readonly #enqueues: TickBatch<[string, number]>;
  readonly #acks: TickBatch<number>;
  #closed = false;

  constructor(options: RedisQueueOptions) {
    const prefix = options.prefix ?? 'weft';
    const name = options.name ?? 'jobs';
    if (/[{}]/.test(name)) throw new TypeError(`RedisQueue: queue name must not contain braces, got "${name}"`);
    this.#redis = options.redis;
    this.#clock = options.clock;
    this.#base = `${prefix}:{${name}}:`;
    this.#keys = ['seq', 'ready', 'delayed', 'leased', 'dedupe', 'dead'].map((k) => this.#base + k);
    this.#wake = new WakeChannel(options.redis, `${this.#base}wake`);
    this.#enqueues = new TickBatch((args) => this.#run(enqueueScript, args) as Promise<[string, number][]>);
    this.#acks = new TickBatch((args) => this.#run(ackScript, args) as Promise<number[]>);
  }

  async enqueue(job: QueueJob, options: EnqueueOptions = {}): Promise<{ id: string; duplicate: boolean }> {
    const priority = options.priority ?? 0;
    if (!Number.isFinite(priority))
      throw new RangeError(`RedisQueue.enqueue: priority must be finite, got ${priority}`);
    if (options.runAt !== undefined && !Number.isFinite(options.runAt)) {
      throw new RangeError(`RedisQueue.enqueue: runAt must be epoch ms, got ${options.runAt}`);
    }
    const [id, duplicate] = await this.#enqueues.submit([
      JSON.stringify(job),
      options.runAt ?? '',
      priority,
      options.dedupeKey ?? '',
    ]);
    return { id: String(id), duplicate: duplicate === 1 };
  }

  async claim(options: { workerId: string; leaseMs: number; max: number }): Promise<ClaimedJob[]> {
    if (!(options.leaseMs > 0)) throw new RangeError(`RedisQueue.claim: leaseMs must be > 0, got ${options.leaseMs}`);
    const max = Math.floor(options.max);
    if (!(max > 0)) return [];
    const nonce = randomBytes(6).toString('hex');
    const rows = (await this.#run(claimScript, [Math.ceil(options.leaseMs), max, options.workerId, nonce])) as Reply[];
    return rows.map(([id, job, attempt, leaseUntil, token]) => ({
      id: String(id),
      job: JSON.parse(String(job)) as QueueJob,
      attempt: Number(attempt),
      leaseUntil: Number(leaseUntil),
      token: String(token),
    }));
  }

  async extend(job: ClaimedJob, leaseMs: number): Promise<boolean> {
    if (!(leaseMs > 0)) throw new RangeError(`RedisQueue.extend: leaseMs must be > 0, got ${leaseMs}`);
    return Number(await this.#run(extendScript, [job.id, job.token, Math.ceil(leaseMs)])) > 0;
  }

  async hasJob(dedupeKey: string): Promise<boolean> {
    return (await this.#redis.hexists(this.#keys[4] as string, dedupeKey)) === 1;
  }

  async ack(job: ClaimedJob): Promise<void> {
    await this.#acks.submit([job.id, job.token]);
  }

  async retry(job: ClaimedJob, options: { runAt?: number; error?: string } = {}): Promise<void> {
    await this.#run(retryScript, [job.id, job.token, options.runAt ?? '', options.error ?? '']);
  }

  async deadLetter(job: ClaimedJob, error: string): Promise<void> {
    await this.#run(deadLetterScript, [job.id, job.token, error]);
  }

  async listDeadLetters(options: { limit?: number } = {}): Promise<DeadLetter[]> {
    const limit = Math.floor(options.limit ?? 100);
    if (limit < 1) return [];
    const rows = (await this.#run(listDeadScript, [limit])) as Reply[];
    return rows.map(([id, job, attempts, error, failedAt]) => ({
      id: String(id),
      job: JSON.parse(String(job)) as QueueJob,
      attempts: Number(attempts),
      error: String(error ?? ''),
      failedAt: Number(failedAt),
    }));
  }

  async replayDeadLetter(id: string): Promise<boolean> {
    return (await this.#run(replayDeadScript, [id])) !== null;
  }

  async discardDeadLetter(id: string): Promise<boolean> {
    return Number(await this.#run(discardDeadScript, [id])) === 1;
  }

  /**
   * Resolves when a job may be claimable: at once if one is ready, on the pub/sub wake-up sent by
   * enqueue/retry/replay, when the next delayed job or lease falls due, after a reconnect of the
   * subscriber (messages may have been missed), or after `timeoutMs`, whichever comes first.
   */
  async waitForJobs(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#closed || signal?.aborted) return;
    const waiter = this.#wake.wait(timeoutMs, signal);
    this.#wake
      .ready()
      .then(() => this.#run(nextDueScript, []))
      .then((due) => {
        if (Number(due) === 0) waiter.wake();
        else if (Number(due) > 0) waiter.wakeAfter(Number(due));
      })
      // Redis unreachable: return now and let the caller's next claim() report the error.
      .catch(() => waiter.wake());
    await waiter.promise;
  }

  async stats(): Promise<{
    ready: number;
    delayed: number;
    running: number;
    deadLetters: number;
    oldestReadyAgeMs: number;
  }> {
    const [ready, delayed, running, deadLetters, oldestReadyAgeMs] = ((await this.#run(statsScript, [])) as Reply).map(
      Number,
    ) as [number, number, number, number, number];
    return { ready, delayed, running, deadLetters, oldestReadyAgeMs };
  }

  /** Wakes every waiter and closes the queue's own subscriber connection (not the client you passed). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#wake.close();
  }

  #run(script: LuaScript, args: (string | number)[]): Promise<unknown> {
    return script.run(this.#redis, this.#keys, [this.#base, this.#clock ? this.#clock.now() : '', ...args]);
  }
}
