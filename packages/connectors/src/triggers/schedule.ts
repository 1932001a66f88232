import { Cron } from 'croner';

/**
 * A cron expression in a time zone (default UTC), or a fixed interval anchored at `anchor`.
 *
 * @example
 * ```ts
 * const spec: ScheduleSpec = { cron: '0 9 * * 1-5', timezone: 'America/New_York' };
 * ```
 */
export type ScheduleSpec = { cron: string; timezone?: string } | { everyMs: number; anchor?: number };

/**
 * What happens to ticks missed while no process ran: fire only the latest (skip) or all (catch up).
 *
 * @example
 * ```ts
 * const policy: MissedTickPolicy = 'catchUp';
 * ```
 */
export type MissedTickPolicy = 'skip' | 'catchUp';

/**
 * Checks a schedule spec, throwing an error that says what is wrong.
 *
 * @example
 * ```ts
 * validateSchedule({ cron: '0 9 * * 1-5', timezone: 'Europe/Paris' });
 * ```
 */
export function validateSchedule(spec: ScheduleSpec): void {
  if ('everyMs' in spec) {
    if (!Number.isFinite(spec.everyMs) || spec.everyMs < 1000) {
      throw new Error(`Schedule interval must be at least 1000 ms, got ${spec.everyMs}`);
    }
    return;
  }
  if (spec.timezone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: spec.timezone });
    } catch {
      throw new Error(`Schedule time zone "${spec.timezone}" is not a known IANA time zone`);
    }
  }
  try {
    new Cron(spec.cron, { paused: true, timezone: spec.timezone ?? 'UTC' });
  } catch (err) {
    throw new Error(`Schedule cron "${spec.cron}" is invalid: ${(err as Error).message}`);
  }
}

/**
 * Fire times (epoch ms) in `(from, to]`, oldest first, at most `limit`, for a spec or a trigger
 * that carries one (`{ spec }`).
 *
 * @example
 * ```ts
 * nextFires({ cron: '0 9 * * *', timezone: 'America/New_York' }, Date.UTC(2026, 2, 7), Date.UTC(2026, 2, 10));
 * // 14:00Z, then 13:00Z after the DST change
 * ```
 */
export function nextFires(
  schedule: ScheduleSpec | { spec: ScheduleSpec },
  from: number,
  to: number,
  limit = 1000,
): number[] {
  const spec = 'spec' in schedule ? schedule.spec : schedule;
  validateSchedule(spec);
  const out: number[] = [];
  if ('everyMs' in spec) {
    const anchor = spec.anchor ?? 0;
    let t = anchor + (Math.floor((from - anchor) / spec.everyMs) + 1) * spec.everyMs;
    for (; t <= to && out.length < limit; t += spec.everyMs) out.push(t);
    return out;
  }
  const cron = new Cron(spec.cron, { paused: true, timezone: spec.timezone ?? 'UTC' });
  let cursor = new Date(from);
  while (out.length < limit) {
    const next = cron.nextRun(cursor);
    if (!next || next.getTime() > to) break;
    out.push(next.getTime());
    cursor = next;
  }
  return out;
}

/**
 * The ticks to fire now, given the last fire time: every tick after `lastFireAt` up to `now`
 * under `catchUp` (the most recent `maxCatchUp`, default 100), only the latest under `skip`. A
 * trigger that never fired fires nothing until its first tick after `now`.
 *
 * @example
 * ```ts
 * dueTicks({ everyMs: 60_000 }, { lastFireAt: t0, now: t0 + 180_000, policy: 'skip' }); // [t0 + 180_000]
 * ```
 */
export function dueTicks(
  spec: ScheduleSpec,
  at: { lastFireAt: number | undefined; now: number; policy: MissedTickPolicy; maxCatchUp?: number },
): number[] {
  if (at.lastFireAt === undefined) return [];
  const max = at.maxCatchUp ?? 100;
  if (at.policy === 'skip') {
    const all = nextFires(spec, at.lastFireAt, at.now, 100_000);
    return all.length ? [all.at(-1)!] : [];
  }
  const all = nextFires(spec, at.lastFireAt, at.now, 100_000);
  return all.slice(-max);
}
