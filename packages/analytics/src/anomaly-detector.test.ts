import { describe, expect, it } from 'vitest';
import { createAnomalyDetector } from './anomaly-detector.js';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 5);

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

/** Hourly request rate with a daily cycle, quiet weekends and 5% noise; `injected` hours scaled by 0.35 or 1.8..2.5. */
function syntheticSeries(seed: number, weeks: number, anomalies: number) {
  const r = rng(seed);
  const hours = weeks * 168;
  const injected = new Set<number>();
  while (injected.size < anomalies) injected.add(504 + Math.floor(r() * (hours - 504)));
  const values: number[] = [];
  for (let h = 0; h < hours; h++) {
    const day = Math.floor(h / 24) % 7;
    const base = (100 + 60 * Math.sin((2 * Math.PI * (h % 24)) / 24)) * (day >= 5 ? 0.4 : 1);
    const noise = 1 + 0.05 * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    let v = base * noise;
    if (injected.has(h)) v *= r() < 0.5 ? 0.35 : 1.8 + r() * 0.7;
    values.push(v);
  }
  return { values, injected };
}

function evaluate(seed: number) {
  const { values, injected } = syntheticSeries(seed, 12, 40);
  const d = createAnomalyDetector();
  let tp = 0;
  let fp = 0;
  let fn = 0;
  values.forEach((v, h) => {
    const { anomaly } = d.update(START + h * HOUR, v);
    if (h < 504) return;
    if (anomaly && injected.has(h)) tp++;
    else if (anomaly) fp++;
    else if (injected.has(h)) fn++;
  });
  return { precision: tp / (tp + fp), recall: tp / (tp + fn) };
}

describe('createAnomalyDetector', () => {
  it('finds injected spikes and dips in seasonal series with precision and recall >= 0.9', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { precision, recall } = evaluate(seed);
      expect(precision).toBeGreaterThanOrEqual(0.9);
      expect(recall).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('follows the weekly season: a quiet Sunday is normal, the same value on a Monday noon is not', () => {
    const d = createAnomalyDetector();
    for (let w = 0; w < 4; w++) {
      for (let h = 0; h < 168; h++) d.update(START + (w * 168 + h) * HOUR, h >= 120 ? 10 : 100 + (h % 3));
    }
    const nextWeek = START + 4 * 168 * HOUR;
    expect(d.update(nextWeek + 130 * HOUR, 10).anomaly).toBe(false);
    expect(d.update(nextWeek + 12 * HOUR, 10)).toMatchObject({ anomaly: true, score: 1 });
  });

  it('is not dragged by an outage: the hour after a burst of outliers is judged against the old baseline', () => {
    const d = createAnomalyDetector({ seasonHistory: 4 });
    for (let w = 0; w < 4; w++) d.update(START + w * 168 * HOUR, 100 + w);
    for (let w = 4; w < 6; w++) expect(d.update(START + w * 168 * HOUR, 5000).anomaly).toBe(true);
    expect(d.update(START + 6 * 168 * HOUR, 102).anomaly).toBe(false);
    expect(d.update(START + 7 * 168 * HOUR, 5000).anomaly).toBe(true);
  });

  it('is deterministic and stays quiet while warming up', () => {
    const a = createAnomalyDetector();
    const b = createAnomalyDetector();
    const { values } = syntheticSeries(9, 4, 5);
    const ra = values.map((v, h) => a.update(START + h * HOUR, v));
    const rb = values.map((v, h) => b.update(START + h * HOUR, v));
    expect(ra).toEqual(rb);
    expect(ra.slice(0, 11).every((r) => r.score === 0 && !r.anomaly)).toBe(true);
    expect(ra.every((r) => r.score >= 0 && r.score <= 1)).toBe(true);
  });

  it('refuses non-finite input by name', () => {
    expect(() => createAnomalyDetector().update(Number.NaN, 1)).toThrow(/finite numbers/);
    expect(() => createAnomalyDetector({ threshold: 0 })).toThrow(/threshold must be > 0/);
  });
});
