import { describe, expect, it } from 'vitest';
import { QuantileSketch } from './quantile-sketch.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function exact(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

const distributions: Record<string, (r: () => number) => number> = {
  uniform: (r) => 1 + r() * 999,
  exponential: (r) => -Math.log(1 - r()) * 120,
  lognormal: (r) => Math.exp(4 + 1.5 * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())),
  pareto: (r) => 5 / (1 - r()) ** (1 / 1.2),
};

describe('QuantileSketch', () => {
  for (const [name, draw] of Object.entries(distributions)) {
    it(`answers p50/p95/p99/p99.9 of a ${name} distribution within 1% of the exact values`, () => {
      const r = rng(7);
      const s = new QuantileSketch();
      const values: number[] = [];
      for (let i = 0; i < 20_000; i++) {
        const v = draw(r);
        values.push(v);
        s.add(v);
      }
      values.sort((a, b) => a - b);
      for (const q of [0, 0.5, 0.95, 0.99, 0.999, 1]) {
        const want = exact(values, q);
        expect(Math.abs(s.quantile(q)! - want) / want).toBeLessThanOrEqual(0.01);
      }
    });
  }

  it('merges to the same answers as one sketch of all values, in any order', () => {
    const r = rng(3);
    const whole = new QuantileSketch();
    const parts = [new QuantileSketch(), new QuantileSketch(), new QuantileSketch()];
    for (let i = 0; i < 9000; i++) {
      const v = distributions.lognormal!(r);
      whole.add(v);
      parts[i % 3]!.add(v);
    }
    const ab = new QuantileSketch().merge(parts[0]!).merge(parts[1]!).merge(parts[2]!);
    const ba = new QuantileSketch().merge(parts[2]!).merge(parts[0]!).merge(parts[1]!);
    for (const q of [0.1, 0.5, 0.9, 0.99]) {
      expect(ab.quantile(q)).toBe(whole.quantile(q));
      expect(ba.quantile(q)).toBe(whole.quantile(q));
    }
    expect(ab.encode()).toBe(ba.encode());
  });

  it('estimates how many values exceed a latency target', () => {
    const s = new QuantileSketch();
    for (let v = 1; v <= 1000; v++) s.add(v);
    expect(Math.abs(s.countAbove(900) - 100)).toBeLessThanOrEqual(10);
    expect(s.countAbove(5000)).toBe(0);
  });

  it('round-trips through its compact text form', () => {
    const s = new QuantileSketch();
    for (const v of [0, 0, 0.5, 3, 3, 40, 12_000, 86_400_000]) s.add(v);
    const text = s.encode();
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    const back = QuantileSketch.decode(text);
    expect(back.count).toBe(8);
    expect(back.min).toBe(0);
    expect(back.max).toBe(86_400_000);
    expect(back.encode()).toBe(text);
    for (const q of [0, 0.3, 0.6, 1]) expect(back.quantile(q)).toBe(s.quantile(q));
    expect(QuantileSketch.decode(new QuantileSketch().encode()).count).toBe(0);
  });

  it('stays small: 10,000 latencies between 1 ms and 10 s encode in under 1 KiB', () => {
    const r = rng(11);
    const s = new QuantileSketch();
    for (let i = 0; i < 10_000; i++) s.add(10 ** (r() * 4));
    expect(s.encode().length).toBeLessThan(1024);
  });

  it('refuses negative and non-finite values and garbage text by name', () => {
    const s = new QuantileSketch();
    expect(() => s.add(-1)).toThrow(/finite values >= 0/);
    expect(() => s.add(Number.NaN)).toThrow(/finite values >= 0/);
    expect(() => QuantileSketch.decode('!!')).toThrow(/Not an encoded/);
    expect(() => s.quantile(2)).toThrow(/quantile must be in/);
    expect(s.quantile(0.5)).toBeUndefined();
  });
});
