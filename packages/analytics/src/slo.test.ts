import { describe, expect, it } from 'vitest';
import { evaluateSlo, type SloWindow, type WindowCounts } from './slo.js';

const quiet: Record<SloWindow, WindowCounts> = {
  '5m': { total: 100, bad: 0 },
  '30m': { total: 600, bad: 1 },
  '1h': { total: 1200, bad: 2 },
  '6h': { total: 7200, bad: 10 },
  '3d': { total: 86_400, bad: 100 },
};
const firing = (s: ReturnType<typeof evaluateSlo>) => s.alerts.filter((a) => a.firing).map((a) => a.rule);

describe('evaluateSlo', () => {
  it('computes the error budget used and left', () => {
    const s = evaluateSlo({ target: 0.99 }, { period: { total: 100_000, bad: 250 }, windows: quiet });
    expect(s.budgetConsumed).toBe(0.25);
    expect(s.budgetRemaining).toBe(0.75);
    expect(firing(s)).toEqual([]);
  });

  it('pages on a fast burn (1 h and 5 min at 14.4x) and stays quiet when the burn has stopped', () => {
    const windows = { ...quiet, '1h': { total: 1200, bad: 180 }, '5m': { total: 100, bad: 15 } };
    const s = evaluateSlo({ target: 0.99 }, { period: { total: 100_000, bad: 300 }, windows });
    expect(firing(s)).toEqual(['fast burn']);
    expect(s.alerts[0]).toMatchObject({ longBurnRate: 15, shortBurnRate: 15, severity: 'page' });
    const stopped = evaluateSlo(
      { target: 0.99 },
      { period: { total: 100_000, bad: 300 }, windows: { ...windows, '5m': { total: 100, bad: 1 } } },
    );
    expect(firing(stopped)).toEqual([]);
  });

  it('fires the 6 h/30 min rule at 6x and the 3 d/6 h rule at 1x, not below', () => {
    const six = { ...quiet, '6h': { total: 7200, bad: 432 }, '30m': { total: 600, bad: 36 } };
    expect(firing(evaluateSlo({ target: 0.99 }, { period: { total: 1e5, bad: 500 }, windows: six }))).toEqual([
      'medium burn',
    ]);
    const below = { ...six, '6h': { total: 7200, bad: 431 } };
    expect(firing(evaluateSlo({ target: 0.99 }, { period: { total: 1e5, bad: 500 }, windows: below }))).toEqual([]);
    const slow = { ...quiet, '3d': { total: 86_400, bad: 864 }, '6h': { total: 7200, bad: 72 } };
    expect(firing(evaluateSlo({ target: 0.99 }, { period: { total: 1e5, bad: 900 }, windows: slow }))).toEqual([
      'slow burn',
    ]);
  });

  it('suppresses an alert while the long window holds fewer events than the minimum', () => {
    const few = { ...quiet, '1h': { total: 10, bad: 5 }, '5m': { total: 2, bad: 1 } };
    const s = evaluateSlo({ target: 0.99, minimumEvents: 50 }, { period: { total: 10, bad: 5 }, windows: few });
    expect(firing(s)).toEqual([]);
    expect(s.alerts[0]!.suppressed).toBe('10 events in 1h, fewer than 50');
  });

  it('refuses a target outside (0, 1)', () => {
    expect(() => evaluateSlo({ target: 1 }, { period: { total: 0, bad: 0 }, windows: quiet })).toThrow(/SLO target/);
  });
});
