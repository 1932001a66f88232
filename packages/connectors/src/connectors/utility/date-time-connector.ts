import { defineAction } from '../../kit/define-action.js';
import { defineConnector } from '../../kit/define-connector.js';
import { Property } from '../../kit/property.js';
import { svgIcon } from '../../kit/svg-icon.js';

const UNITS = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
};
type Unit = keyof typeof UNITS | 'months' | 'years';
const unitOptions = [...Object.keys(UNITS), 'months', 'years'].map((u) => ({ value: u as Unit, label: u }));

/**
 * Parses an ISO string, a date string or epoch milliseconds (number or digits), naming the field on failure.
 *
 * @example
 * ```ts
 * parseDate('1767225600000', 'Start').toISOString(); // '2026-01-01T00:00:00.000Z'
 * ```
 */
export function parseDate(value: unknown, field: string): Date {
  const d =
    typeof value === 'number' || (typeof value === 'string' && /^-?\d+$/.test(value.trim()))
      ? new Date(Number(value))
      : new Date(String(value));
  if (Number.isNaN(d.getTime()))
    throw new Error(`${field} "${String(value)}" is not a date (use ISO 8601 or epoch ms)`);
  return d;
}

function checkZone(zone: string) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new Error(`Time zone "${zone}" is not a known IANA time zone`);
  }
}

/**
 * Formats a date in a time zone with tokens `yyyy MM dd HH mm ss SSS` (others kept as written).
 *
 * @example
 * ```ts
 * formatDate(new Date('2026-07-01T12:00:00Z'), 'yyyy-MM-dd HH:mm', 'Europe/Paris'); // '2026-07-01 14:00'
 * ```
 */
export function formatDate(date: Date, pattern: string, timeZone: string): string {
  checkZone(timeZone);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const tokens: Record<string, string> = {
    yyyy: parts.year ?? '',
    MM: parts.month ?? '',
    dd: parts.day ?? '',
    HH: parts.hour ?? '',
    mm: parts.minute ?? '',
    ss: parts.second ?? '',
    SSS: String(date.getUTCMilliseconds()).padStart(3, '0'),
  };
  return pattern.replace(/yyyy|SSS|MM|dd|HH|mm|ss/g, (t) => tokens[t] ?? t);
}

function addUnits(date: Date, amount: number, unit: Unit): Date {
  if (unit === 'months' || unit === 'years') {
    const d = new Date(date);
    d.setUTCMonth(d.getUTCMonth() + amount * (unit === 'years' ? 12 : 1));
    return d;
  }
  return new Date(date.getTime() + amount * UNITS[unit]);
}

const value = (label = 'Date') =>
  Property.ShortText({ label, required: true, description: 'ISO 8601 or epoch milliseconds' });
const outputField = (d: string) => Property.ShortText({ label: 'Output field', default: d });

const format = defineAction({
  name: 'format',
  displayName: 'Format date',
  description: 'Formats a date in a time zone',
  sideEffects: 'none',
  props: {
    value: value(),
    pattern: Property.ShortText({ label: 'Pattern', default: 'yyyy-MM-dd HH:mm:ss' }),
    timezone: Property.ShortText({ label: 'Time zone', default: 'UTC' }),
    outputField: outputField('formatted'),
  },
  run: ({ props, item }) => ({
    ...item?.json,
    [props.outputField]: formatDate(parseDate(props.value, 'Date'), props.pattern, props.timezone),
  }),
});

const add = defineAction({
  name: 'add',
  displayName: 'Add to date',
  description: 'Adds (or, with a negative amount, subtracts) a duration',
  sideEffects: 'none',
  props: {
    value: value(),
    amount: Property.Number({ label: 'Amount', required: true }),
    unit: Property.StaticDropdown({ label: 'Unit', options: unitOptions, default: 'days' }),
    outputField: outputField('date'),
  },
  run: ({ props, item }) => ({
    ...item?.json,
    [props.outputField]: addUnits(parseDate(props.value, 'Date'), props.amount, props.unit).toISOString(),
  }),
});

const difference = defineAction({
  name: 'difference',
  displayName: 'Date difference',
  description: 'The time between two dates in a unit (fractional; months and years by calendar)',
  sideEffects: 'none',
  props: {
    start: value('Start'),
    end: value('End'),
    unit: Property.StaticDropdown({ label: 'Unit', options: unitOptions, default: 'days' }),
    outputField: outputField('difference'),
  },
  run: ({ props, item }) => {
    const a = parseDate(props.start, 'Start');
    const b = parseDate(props.end, 'End');
    let diff: number;
    if (props.unit === 'months' || props.unit === 'years') {
      const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
      diff = props.unit === 'years' ? months / 12 : months;
    } else diff = (b.getTime() - a.getTime()) / UNITS[props.unit];
    return { ...item?.json, [props.outputField]: diff };
  },
});

const now = defineAction({
  name: 'now',
  displayName: 'Current date',
  description: 'The current time as ISO 8601, epoch milliseconds and local text in a time zone',
  sideEffects: 'none',
  props: { timezone: Property.ShortText({ label: 'Time zone', default: 'UTC' }), outputField: outputField('now') },
  run: ({ props, item }) => {
    const d = new Date();
    return {
      ...item?.json,
      [props.outputField]: {
        iso: d.toISOString(),
        epochMs: d.getTime(),
        local: formatDate(d, 'yyyy-MM-dd HH:mm:ss', props.timezone),
      },
    };
  },
});

/**
 * Date and time utility nodes: `dateTime.format`, `dateTime.add`, `dateTime.difference`,
 * `dateTime.now`. Dates are ISO 8601 or epoch milliseconds; time zones are IANA names.
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(dateTimeConnector));
 * ```
 */
export const dateTimeConnector = defineConnector({
  name: 'dateTime',
  displayName: 'Date & Time',
  description: 'Format, shift and compare dates in any time zone.',
  version: '1.0.0',
  icon: svgIcon('#7C3AED', '<circle cx="12" cy="12" r="8"/><path d="M12 7.5V12l3 2"/>'),
  group: 'utility',
  actions: [format, add, difference, now],
});
