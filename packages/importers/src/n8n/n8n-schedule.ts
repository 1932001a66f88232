import { type Mapping, single, unsupported } from '../mapped-node.js';
import type { N8nMapper } from './n8n-node.js';

type Params = Record<string, unknown>;

const n = (v: unknown, d: number) => (v === undefined || v === '' ? d : Number(v));

function cronOf(rule: Params): { cron?: string; everyMinutes?: number; difference?: string } | string {
  const field = String(rule.field ?? 'days');
  const minute = n(rule.triggerAtMinute, 0);
  const hour = n(rule.triggerAtHour, 0);
  switch (field) {
    case 'seconds':
      return {
        everyMinutes: 1,
        difference: `every ${n(rule.secondsInterval, 30)} seconds became every minute (Weft's finest interval)`,
      };
    case 'minutes':
      return { everyMinutes: n(rule.minutesInterval, 5) };
    case 'hours':
      return { cron: `${minute} */${n(rule.hoursInterval, 1)} * * *` };
    case 'days':
      return { cron: `${minute} ${hour} */${n(rule.daysInterval, 1)} * *` };
    case 'weeks': {
      const days = (Array.isArray(rule.triggerAtDay) ? rule.triggerAtDay : [0]).join(',') || '0';
      const every = n(rule.weeksInterval, 1);
      return {
        cron: `${minute} ${hour} * * ${days}`,
        ...(every > 1 ? { difference: `every ${every} weeks became every week` } : {}),
      };
    }
    case 'months':
      return { cron: `${minute} ${hour} ${n(rule.triggerAtDayOfMonth, 1)} */${n(rule.monthsInterval, 1)} *` };
    case 'cronExpression': {
      const parts = String(rule.expression ?? '')
        .trim()
        .split(/\s+/);
      if (parts.length === 6)
        return { cron: parts.slice(1).join(' '), difference: 'the seconds field of the cron expression is dropped' };
      return parts.length === 5 ? { cron: parts.join(' ') } : `cron expression "${rule.expression}"`;
    }
    default:
      return `schedule interval "${field}"`;
  }
}

function legacyCron(item: Params): { cron?: string; everyMinutes?: number } | string {
  const m = n(item.minute, 0);
  const h = n(item.hour, 14);
  switch (String(item.mode ?? 'everyDay')) {
    case 'everyMinute':
      return { cron: '* * * * *' };
    case 'everyHour':
      return { cron: `${m} * * * *` };
    case 'everyDay':
      return { cron: `${m} ${h} * * *` };
    case 'everyWeek':
      return { cron: `${m} ${h} * * ${n(item.weekday, 1)}` };
    case 'everyMonth':
      return { cron: `${m} ${h} ${n(item.dayOfMonth, 1)} * *` };
    case 'everyX':
      return item.unit === 'minutes' ? { everyMinutes: n(item.value, 2) } : { cron: `0 */${n(item.value, 2)} * * *` };
    case 'custom': {
      const parts = String(item.cronExpression ?? '')
        .trim()
        .split(/\s+/);
      return parts.length === 6 ? { cron: parts.slice(1).join(' ') } : { cron: parts.join(' ') };
    }
    default:
      return `cron mode "${item.mode}"`;
  }
}

/** Schedule Trigger (all versions), the legacy Cron and Interval nodes -> `weft.schedule`. */
export const scheduleMapper: N8nMapper = (p, _v, node, ctx): Mapping => {
  let rules: Params[];
  let conv: (r: Params) => ReturnType<typeof cronOf>;
  if (node.type === 'n8n-nodes-base.interval') {
    const unit = String(p.unit ?? 'seconds');
    const every = n(p.interval, 1) * ({ seconds: 1 / 60, minutes: 1, hours: 60 }[unit] ?? 1);
    rules = [{}];
    conv = () =>
      every < 1
        ? { everyMinutes: 1, difference: 'intervals under a minute became every minute' }
        : { everyMinutes: Math.round(every) };
  } else if (node.type === 'n8n-nodes-base.cron') {
    rules = ((p.triggerTimes as Params | undefined)?.item as Params[] | undefined) ?? [{ mode: 'everyDay' }];
    conv = legacyCron;
  } else {
    rules = ((p.rule as Params | undefined)?.interval as Params[] | undefined) ?? [{ field: 'days' }];
    conv = cronOf;
  }
  const first = conv(rules[0] ?? {});
  if (typeof first === 'string') return unsupported(`${first} has no Weft equivalent`);
  const diffs = first.difference ? [first.difference] : [];
  if (rules.length > 1)
    diffs.push(`only the first of ${rules.length} schedule rules is kept (Weft has one rule per trigger)`);
  const params = first.cron
    ? { mode: 'cron', cron: first.cron, timezone: ctx.timezone ?? 'UTC', missedTicks: 'skip' }
    : { mode: 'interval', everyMinutes: first.everyMinutes, missedTicks: 'skip' };
  return single('weft.schedule', params, { differences: diffs });
};
