import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { startOtlpReceiver } from '../testing/otlp-receiver.js';
import { startTracing } from './otel-sdk.js';
import { SynchronousContextManager } from './synchronous-context-manager.js';

const key = Symbol('k');

describe('SynchronousContextManager', () => {
  it('keeps a context active for the synchronous run of with(), restores the outer one after, and drops it across an await', async () => {
    const m = new SynchronousContextManager();
    const outer = ROOT_CONTEXT.setValue(key, 'outer');
    const inner = ROOT_CONTEXT.setValue(key, 'inner');
    const seen: unknown[] = [];
    const pending = m.with(outer, async () => {
      seen.push(m.active().getValue(key));
      m.with(inner, () => seen.push(m.active().getValue(key)));
      seen.push(m.active().getValue(key));
      await null;
      seen.push(m.active());
    });
    expect(m.active()).toBe(ROOT_CONTEXT);
    await pending;
    expect(seen).toEqual(['outer', 'inner', 'outer', ROOT_CONTEXT]);
    expect(() =>
      m.with(inner, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(m.active()).toBe(ROOT_CONTEXT);
    const bound = m.bind(inner, function (this: { n: number }, x: number) {
      return [this.n + x, m.active().getValue(key)];
    });
    expect(bound.call({ n: 1 }, 2)).toEqual([3, 'inner']);
    expect(m.bind(inner, 42)).toBe(42);
  });

  it('is what startTracing registers (no AsyncLocalStorage: the context does not cross an await), and spans nest under parents passed explicitly', async () => {
    const receiver = await startOtlpReceiver();
    const tracing = await startTracing({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
    });
    try {
      const tracer = trace.getTracer('test');
      const parent = tracer.startSpan('parent');
      const ctx = trace.setSpan(ROOT_CONTEXT, parent);
      const activeAfterAwait = await context.with(ctx, async () => {
        expect(trace.getSpan(context.active())).toBe(parent);
        await null;
        return context.active();
      });
      expect(activeAfterAwait).toBe(ROOT_CONTEXT);
      const child = tracer.startSpan('child', {}, ctx);
      expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
      child.end();
      parent.end();
      await tracing?.flush();
      const names = receiver.spans.map((s) => [s.name, s.parentSpanId]);
      expect(names).toContainEqual(['child', parent.spanContext().spanId]);
    } finally {
      await tracing?.shutdown();
      await receiver.close();
    }
  });
});
