import { MemoryScheduleLock, MemoryTriggerStateStore } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { InstantClock } from '../testing/instant-clock.js';
import { scheduleTrigger } from './core-triggers.js';
import { dueTicks, nextFires, validateSchedule } from './schedule.js';
import { runDueTicks } from './schedule-runner.js';

const iso = (ts: number[]) => ts.map((t) => new Date(t).toISOString());

describe('schedule', () => {
  it('computes cron fires in a time zone across a DST change', () => {
    const fires = nextFires(
      { cron: '0 9 * * *', timezone: 'America/New_York' },
      Date.UTC(2026, 2, 6),
      Date.UTC(2026, 2, 10),
    );
    expect(iso(fires)).toEqual([
      '2026-03-06T14:00:00.000Z',
      '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
    ]);
  });

  it('computes anchored intervals', () => {
    expect(nextFires({ everyMs: 60_000 }, 30_000, 200_000)).toEqual([60_000, 120_000, 180_000]);
    expect(nextFires({ spec: { everyMs: 60_000 } }, 0, 60_000)).toEqual([60_000]);
  });

  it('rejects bad specs with the reason', () => {
    expect(() => validateSchedule({ cron: '61 * * * *' })).toThrow(/Schedule cron "61 \* \* \* \*" is invalid/);
    expect(() => validateSchedule({ cron: '* * * * *', timezone: 'Mars/Olympus' })).toThrow(
      'Schedule time zone "Mars/Olympus" is not a known IANA time zone',
    );
    expect(() => validateSchedule({ everyMs: 10 })).toThrow('Schedule interval must be at least 1000 ms, got 10');
  });

  it('skips or catches up missed ticks from the last fire time', () => {
    const spec = { everyMs: 60_000 };
    const at = { lastFireAt: 60_000, now: 330_000 };
    expect(dueTicks(spec, { ...at, policy: 'skip' })).toEqual([300_000]);
    expect(dueTicks(spec, { ...at, policy: 'catchUp' })).toEqual([120_000, 180_000, 240_000, 300_000]);
    expect(dueTicks(spec, { ...at, policy: 'catchUp', maxCatchUp: 2 })).toEqual([240_000, 300_000]);
    expect(dueTicks(spec, { lastFireAt: undefined, now: 330_000, policy: 'catchUp' })).toEqual([]);
  });

  it('fires each tick exactly once across processes sharing a lock and state', async () => {
    const clock = new InstantClock(0);
    const lock = new MemoryScheduleLock(clock);
    const state = new MemoryTriggerStateStore();
    const trigger = { id: 'ws1/wf1/n1', spec: { everyMs: 60_000 }, policy: 'catchUp' as const };
    const fired: string[] = [];
    const processes = ['A', 'B', 'C'];
    const tickAll = () =>
      Promise.all(
        processes.map((p) => runDueTicks(trigger, { lock, state, clock }, async (t) => void fired.push(`${p}@${t}`))),
      );
    await tickAll(); // first sight: records now, fires nothing
    clock.current = 185_000;
    await tickAll();
    clock.current = 245_000;
    await tickAll();
    const ticks = fired.map((f) => Number(f.split('@')[1])).sort((a, b) => a - b);
    expect(ticks).toEqual([60_000, 120_000, 180_000, 240_000]);
  });

  it('maps the weft.schedule props to a spec and policy', () => {
    const t = scheduleTrigger;
    if (t.kind !== 'schedule') throw new Error('expected schedule');
    expect(t.schedule({ mode: 'cron', cron: '*/5 * * * *', timezone: 'Europe/Paris', missedTicks: 'catchUp' })).toEqual(
      {
        spec: { cron: '*/5 * * * *', timezone: 'Europe/Paris' },
        policy: 'catchUp',
      },
    );
    expect(() => t.schedule({ mode: 'interval', timezone: 'UTC', missedTicks: 'skip' })).toThrow(/Every \(minutes\)/);
  });
});
