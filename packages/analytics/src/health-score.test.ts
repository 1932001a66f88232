import { describe, expect, it } from 'vitest';
import { healthScore } from './health-score.js';

const NOW = Date.UTC(2026, 5, 1);
const healthy = {
  runs: 1000,
  succeeded: 1000,
  p95Ms: 200,
  latencySloMs: 500,
  nodeRuns: 4000,
  retries: 0,
  deadLetters: 0,
  lastSuccessAt: NOW - 60_000,
  now: NOW,
};

describe('healthScore', () => {
  it('gives 100 to a workflow with nothing to fix, and the factors add up to the score', () => {
    const h = healthScore(healthy);
    expect(h.score).toBe(100);
    expect(h.factors.map((f) => [f.factor, f.points])).toEqual([
      ['success', 40],
      ['latency', 20],
      ['retries', 15],
      ['deadLetters', 15],
      ['recency', 10],
    ]);
  });

  it('takes points from each factor linearly between its healthy and failing bounds', () => {
    const h = healthScore({
      ...healthy,
      succeeded: 900,
      p95Ms: 750,
      retries: 400,
      deadLetters: 25,
      lastSuccessAt: NOW - 86_400_000 - 3.5 * 86_400_000,
    });
    const points = Object.fromEntries(h.factors.map((f) => [f.factor, f.points]));
    expect(points).toEqual({ success: 20, latency: 10, retries: 7.5, deadLetters: 7.5, recency: 5 });
    expect(h.score).toBe(50);
    expect(h.factors[0]!.detail).toBe('90% of 1000 runs succeeded');
  });

  it('gives nothing for a workflow that fails every run, and says a factor without data scores full', () => {
    const failing = healthScore({ runs: 10, succeeded: 0, nodeRuns: 10, retries: 10, deadLetters: 10, now: NOW });
    expect(failing.score).toBe(20);
    expect(failing.factors.find((f) => f.factor === 'latency')!.detail).toBe('no latency objective set');
    const idle = healthScore({ runs: 0, succeeded: 0, nodeRuns: 0, retries: 0, deadLetters: 0, now: NOW });
    expect(idle.score).toBe(100);
    expect(idle.factors.every((f) => f.value === null || f.value === 0)).toBe(true);
  });
});
