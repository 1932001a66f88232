import { context, ROOT_CONTEXT, type Span, TraceFlags, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { WriteBatcher } from '@weft/sql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SynchronousContextManager } from './synchronous-context-manager.js';

// The storage's group-commit batches (WriteBatcher) make one `weft.db.batch` span per transaction
// under a traced operation's span, with the SDK's real tracer and span processor.
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('test');

beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new SynchronousContextManager());
});
afterAll(async () => {
  trace.disable();
  context.disable();
  await provider.shutdown();
});
beforeEach(() => exporter.reset());

/** Submits `ops` in one tick, each under its context, and waits for the batch. */
async function flushUnder(ctxs: (typeof ROOT_CONTEXT)[]): Promise<void> {
  const batcher = new WriteBatcher<number, number>((ops) => ops.map((value) => ({ value })), { dbSystem: 'sqlite' });
  await Promise.all(ctxs.map((ctx, i) => context.with(ctx, () => batcher.submit(i))));
}

const under = (span: Span) => trace.setSpan(ROOT_CONTEXT, span);
const unsampled = trace.setSpan(
  ROOT_CONTEXT,
  trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.NONE }),
);

describe('write batch spans', () => {
  it('make no span when no operation of the batch is traced, so no stray trace starts', async () => {
    await flushUnder([ROOT_CONTEXT, unsampled, ROOT_CONTEXT]);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('are a child of the first traced operation, linked to the other traced ones', async () => {
    const a = tracer.startSpan('a');
    const b = tracer.startSpan('b');
    await flushUnder([ROOT_CONTEXT, unsampled, under(a), under(b)]);
    const [batch] = exporter.getFinishedSpans();
    expect(exporter.getFinishedSpans()).toHaveLength(1);
    expect(batch?.name).toBe('weft.db.batch');
    expect(batch?.spanContext().traceId).toBe(a.spanContext().traceId);
    expect(batch?.parentSpanContext?.spanId).toBe(a.spanContext().spanId);
    expect(batch?.links.map((l) => l.context.spanId)).toEqual([b.spanContext().spanId]);
    expect(batch?.attributes).toMatchObject({ 'db.operation.batch.size': 4, 'db.system.name': 'sqlite' });
  });
});
