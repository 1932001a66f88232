import { describe, expect, it } from 'vitest';
import { roiReport, toCsv } from './cost-model.js';

describe('roiReport', () => {
  it('adds compute, call and AI costs and weighs them against the hours saved', () => {
    const r = roiReport(
      { currency: 'EUR', perComputeSecond: 0.0001, perCall: { 'http.request': 0.002 }, perThousandAiTokens: 0.5 },
      { computeMs: 3_600_000, calls: { 'http.request': 1000, 'core.set': 500 }, aiTokens: 20_000 },
      { minutesSavedPerRun: 3, hourlyRate: 30 },
      200,
    );
    expect(r.cost).toEqual({ compute: 0.36, executions: 0, calls: 2, ai: 10, total: 12.36 });
    expect(r.hoursSaved).toBe(10);
    expect(r.value).toBe(300);
    expect(r.net).toBe(287.64);
    expect(r.roi).toBe(23.2718);
  });

  it('prices each execution at the flat per-execution rate', () => {
    const r = roiReport(
      { currency: 'USD', perComputeSecond: 0, perExecution: 0.01 },
      { computeMs: 0, executions: 250 },
      { minutesSavedPerRun: 0, hourlyRate: 0 },
      200,
    );
    expect(r.cost).toEqual({ compute: 0, executions: 2.5, calls: 0, ai: 0, total: 2.5 });
    expect(r.net).toBe(-2.5);
  });

  it('has no ROI ratio when nothing was spent, and refuses negative prices by name', () => {
    expect(
      roiReport(
        { currency: 'USD', perComputeSecond: 0 },
        { computeMs: 5 },
        { minutesSavedPerRun: 1, hourlyRate: 60 },
        6,
      ).roi,
    ).toBeNull();
    expect(() =>
      roiReport(
        { currency: 'USD', perComputeSecond: -1 },
        { computeMs: 0 },
        { minutesSavedPerRun: 1, hourlyRate: 1 },
        0,
      ),
    ).toThrow(/perComputeSecond must be/);
  });
});

describe('toCsv', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(
      toCsv(
        ['name', 'roi'],
        [
          ['a,b "c"', 1.5],
          ['=HYPERLINK("x")', null],
          ['-1', Number.NaN],
        ],
      ),
    ).toBe('name,roi\r\n"a,b ""c""",1.5\r\n"\'=HYPERLINK(""x"")",\r\n\'-1,\r\n');
  });
});
