import { type Context, context, type Link, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { executionTraceContext } from '@weft/engine';

const tracer = trace.getTracer('@weft/sql');
/** Most links a batch span keeps to the spans of the operations it carries beyond the first. */
const MAX_LINKS = 32;

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
  #pending: { op: Op; ctx: Context; resolve: (r: Result) => void; reject: (e: unknown) => void }[] = [];
  #scheduled = false;
  #running = 0;

  constructor(
    private readonly flush: (ops: Op[]) => Promise<BatchOutcome<Result>[]> | BatchOutcome<Result>[],
    private readonly options: {
      concurrency?: number;
      maxBatch?: number;
      schedule?: (fn: () => void) => void;
      /** `db.system.name` of the batch spans, e.g. `sqlite` or `postgresql`. */
      dbSystem?: string;
    } = {},
  ) {}

  /**
   * Queues `op` for the next flush. With the id of the execution it writes for, the batch span is
   * parented to that execution's span when it is traced in this process (the engine hands no
   * context to the stores); otherwise to the active context.
   */
  submit(op: Op, executionId?: string): Promise<Result> {
    const ctx = (executionId !== undefined && executionTraceContext(executionId)) || context.active();
    return new Promise((resolve, reject) => {
      this.#pending.push({ op, ctx, resolve, reject });
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
    const span = this.#span(batch);
    try {
      const outcomes = await this.flush(batch.map((b) => b.op));
      batch.forEach((b, i) => {
        const o = outcomes[i];
        if (!o) b.reject(new Error('Write batch returned no outcome for an operation'));
        else if ('error' in o) b.reject(o.error);
        else b.resolve(o.value);
      });
    } catch (err) {
      span?.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      for (const b of batch) b.reject(err);
    } finally {
      span?.end();
      this.#running--;
      this.#kick();
    }
  }

  /**
   * The batch's span: a child of the first operation whose parent span is sampled (its execution
   * is traced), linked to the others'. A batch that carries no traced operation makes no span
   * and asks the tracer nothing, or every batch of untraced executions would start a trace of
   * its own, sampled apart from any request.
   */
  #span(batch: { ctx: Context }[]) {
    let parent: Context | undefined;
    const links: Link[] = [];
    for (const { ctx } of batch) {
      const sc = trace.getSpanContext(ctx);
      if (!sc || (sc.traceFlags & TraceFlags.SAMPLED) === 0) continue;
      if (!parent) parent = ctx;
      else if (links.length < MAX_LINKS) links.push({ context: sc });
      else break;
    }
    if (!parent) return undefined;
    const span = tracer.startSpan(
      'weft.db.batch',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.operation.name': 'BATCH',
          'db.operation.batch.size': batch.length,
          ...(this.options.dbSystem ? { 'db.system.name': this.options.dbSystem } : {}),
        },
        ...(links.length > 0 ? { links } : {}),
      },
      parent,
    );
    return span.isRecording() ? span : undefined;
  }
}

/** The result of one operation in a flushed batch. */
export type BatchOutcome<Result> = { value: Result } | { error: unknown };
