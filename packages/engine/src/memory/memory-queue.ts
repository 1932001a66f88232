import type { Clock } from '../ports/clock.js';
import type { ClaimedJob, DeadLetter, EnqueueOptions, JobQueue, QueueJob } from '../ports/queue.js';
import { systemClock } from './system-clock.js';

interface Entry {
  id: string;
  job: QueueJob;
  runAt: number;
  priority: number;
  enqueuedAt: number;
  attempt: number;
  dedupeKey?: string;
  lease?: { token: string; until: number };
}

/**
 * A job queue in process memory with the same lease semantics as the durable ones: what the
 * engine uses when no other queue is configured, and the reference for the conformance suite.
 *
 * @example
 * ```ts
 * const queue = new MemoryQueue();
 * await queue.enqueue({ workspaceId: 'ws', executionId: 'e1', kind: 'start' }, { runAt: Date.now() + 5000 });
 * ```
 */
export class MemoryQueue implements JobQueue {
  readonly #entries = new Map<string, Entry>();
  readonly #dead = new Map<string, DeadLetter>();
  readonly #dedupe = new Map<string, string>();
  readonly #clock: Clock;
  #seq = 0;
  #waiters = new Set<() => void>();

  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? systemClock;
  }

  async enqueue(job: QueueJob, options: EnqueueOptions = {}): Promise<{ id: string; duplicate: boolean }> {
    if (options.dedupeKey) {
      const existing = this.#dedupe.get(options.dedupeKey);
      if (existing && this.#entries.has(existing)) return { id: existing, duplicate: true };
    }
    const id = `job-${++this.#seq}`;
    const now = this.#clock.now();
    const entry: Entry = {
      id,
      job: structuredClone(job),
      runAt: options.runAt ?? now,
      priority: options.priority ?? 0,
      enqueuedAt: now,
      attempt: 0,
      ...(options.dedupeKey ? { dedupeKey: options.dedupeKey } : {}),
    };
    this.#entries.set(id, entry);
    if (options.dedupeKey) this.#dedupe.set(options.dedupeKey, id);
    this.#wake();
    return { id, duplicate: false };
  }

  async claim(options: { workerId: string; leaseMs: number; max: number }): Promise<ClaimedJob[]> {
    const now = this.#clock.now();
    const due = [...this.#entries.values()]
      .filter((e) => e.runAt <= now && (!e.lease || e.lease.until <= now))
      .sort((a, b) => b.priority - a.priority || a.runAt - b.runAt || a.enqueuedAt - b.enqueuedAt)
      .slice(0, options.max);
    return due.map((e) => {
      e.attempt++;
      e.lease = { token: `${options.workerId}:${e.id}:${e.attempt}`, until: now + options.leaseMs };
      return {
        id: e.id,
        job: structuredClone(e.job),
        attempt: e.attempt,
        leaseUntil: e.lease.until,
        token: e.lease.token,
      };
    });
  }

  #owned(job: ClaimedJob): Entry | undefined {
    const e = this.#entries.get(job.id);
    return e?.lease?.token === job.token ? e : undefined;
  }

  async extend(job: ClaimedJob, leaseMs: number): Promise<boolean> {
    const e = this.#owned(job);
    if (!e?.lease || e.lease.until <= this.#clock.now()) return false;
    e.lease.until = this.#clock.now() + leaseMs;
    return true;
  }

  async hasJob(dedupeKey: string): Promise<boolean> {
    return this.#dedupe.has(dedupeKey);
  }

  async ack(job: ClaimedJob): Promise<void> {
    const e = this.#owned(job);
    if (!e) return;
    this.#remove(e);
  }

  async retry(job: ClaimedJob, options: { runAt?: number; error?: string } = {}): Promise<void> {
    const e = this.#owned(job);
    if (!e) return;
    delete e.lease;
    e.runAt = options.runAt ?? this.#clock.now();
    this.#wake();
  }

  async deadLetter(job: ClaimedJob, error: string): Promise<void> {
    const e = this.#owned(job);
    if (!e) return;
    this.#remove(e);
    this.#dead.set(e.id, { id: e.id, job: e.job, attempts: e.attempt, error, failedAt: this.#clock.now() });
  }

  async listDeadLetters(options: { limit?: number } = {}): Promise<DeadLetter[]> {
    return [...this.#dead.values()].slice(0, options.limit ?? 100).map((d) => structuredClone(d));
  }

  async replayDeadLetter(id: string): Promise<boolean> {
    const d = this.#dead.get(id);
    if (!d) return false;
    this.#dead.delete(id);
    await this.enqueue(d.job);
    return true;
  }

  async discardDeadLetter(id: string): Promise<boolean> {
    return this.#dead.delete(id);
  }

  waitForJobs(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const now = this.#clock.now();
    for (const e of this.#entries.values()) {
      // a job that became ready after the caller's last claim: no need to sleep
      if (e.runAt <= now && (!e.lease || e.lease.until <= now)) return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  async stats() {
    const now = this.#clock.now();
    let ready = 0;
    let delayed = 0;
    let running = 0;
    let oldest = now;
    for (const e of this.#entries.values()) {
      if (e.lease && e.lease.until > now) running++;
      else if (e.runAt > now) delayed++;
      else {
        ready++;
        oldest = Math.min(oldest, e.runAt);
      }
    }
    return { ready, delayed, running, deadLetters: this.#dead.size, oldestReadyAgeMs: now - oldest };
  }

  async close(): Promise<void> {
    for (const w of [...this.#waiters]) w();
  }

  #remove(e: Entry) {
    this.#entries.delete(e.id);
    if (e.dedupeKey && this.#dedupe.get(e.dedupeKey) === e.id) this.#dedupe.delete(e.dedupeKey);
  }

  #wake() {
    for (const w of [...this.#waiters]) w();
  }
}
