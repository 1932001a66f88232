import { describe, expect, it } from 'vitest';
import { PooledIdGenerator } from './tracing-id-generator.js';

describe('PooledIdGenerator', () => {
  it('makes W3C-shaped ids, all distinct, across many refills of its pool', () => {
    const ids = new PooledIdGenerator();
    const traces = new Set<string>();
    const spans = new Set<string>();
    // 20,000 trace ids and 60,000 span ids draw the 8 KiB pool about 200 times.
    for (let i = 0; i < 20_000; i++) {
      traces.add(ids.generateTraceId());
      for (let j = 0; j < 3; j++) spans.add(ids.generateSpanId());
    }
    expect(traces.size).toBe(20_000);
    expect(spans.size).toBe(60_000);
    expect([...traces].filter((id) => !/^[0-9a-f]{32}$/.test(id))).toEqual([]);
    expect([...spans].filter((id) => !/^[0-9a-f]{16}$/.test(id))).toEqual([]);
    expect(traces.has('0'.repeat(32))).toBe(false);
    expect(spans.has('0'.repeat(16))).toBe(false);
  });

  it('draws every hex digit about evenly (the ids are random, not a counter)', () => {
    const ids = new PooledIdGenerator();
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) for (const c of ids.generateTraceId()) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(16);
    // 320,000 digits: 20,000 each on average; a fair draw stays within a few hundred.
    for (const n of counts.values()) expect(Math.abs(n - 20_000)).toBeLessThan(1_000);
  });
});
