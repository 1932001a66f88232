/**
 * Group commit: operations submitted in the same tick are handed to `flush` together (one
 * transaction), and each caller's promise settles only after that flush finished. `flush`
 * reports a result or an error per operation, so one failing write does not fail its neighbours.
 * At most `concurrency` flushes run at once; operations arriving meanwhile form the next batch.
 *
 * @example
 * ```ts
 * const batcher = new WriteBatcher<Row, void>((rows) => db.transaction(() => rows.map(insertOne))());
 * await batcher.submit(row); // resolves once the transaction holding it committed
 * ```
 */
export class WriteBatcher<Op, Result> {
  #pending: { op: Op; resolve: (r: Result) => void; reject: (e: unknown) => void }[] = [];
  #scheduled = false;
  #running = 0;

  constructor(
    private readonly flush: (ops: Op[]) => Promise<BatchOutcome<Result>[]> | BatchOutcome<Result>[],
    private readonly options: { concurrency?: number; maxBatch?: number; schedule?: (fn: () => void) => void } = {},
  ) {}

  /** Queues `op` for the next flush. */
  submit(op: Op): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ op, resolve, reject });
      this.#kick();
    });
  }

  /** Operations waiting for a flush. */
  get pending(): number {
    return this.#pending.length;
  }

  /** Flushes in progress. */
  get running(): number {
    return this.#running;
  }

  #kick(): void {
    if (this.#scheduled || this.#pending.length === 0) return;
    if (this.#running >= (this.options.concurrency ?? 1)) return;
    this.#scheduled = true;
    (this.options.schedule ?? setImmediate)(() => {
      this.#scheduled = false;
      void this.#run();
    });
  }

  async #run(): Promise<void> {
    if (this.#pending.length === 0) return;
    const max = this.options.maxBatch ?? 5000;
    const batch = this.#pending.slice(0, max);
    this.#pending = this.#pending.slice(batch.length);
    this.#running++;
    try {
      const outcomes = await this.flush(batch.map((b) => b.op));
      batch.forEach((b, i) => {
        const o = outcomes[i];
        if (!o) b.reject(new Error('Write batch returned no outcome for an operation'));
        else if ('error' in o) b.reject(o.error);
        else b.resolve(o.value);
      });
    } catch (err) {
      for (const b of batch) b.reject(err);
    } finally {
      this.#running--;
      this.#kick();
    }
  }
}

/** The result of one operation in a flushed batch. */
export type BatchOutcome<Result> = { value: Result } | { error: unknown };
