import { single, unsupported } from '../mapped-node.js';
import { type N8nMapper, optionsOf } from './n8n-node.js';
import { n8nValue, weft } from './n8n-values.js';

const WEFT_PATTERN = /^(?:yyyy|MM|dd|HH|mm|ss|SSS|[^A-Za-z])*$/;
const MOMENT: [RegExp, string][] = [
  [/YYYY/g, 'yyyy'],
  [/DD/g, 'dd'],
];

function pattern(format: string, moment: boolean): string | undefined {
  const f = moment ? MOMENT.reduce((s, [re, t]) => s.replace(re, t), format) : format;
  return WEFT_PATTERN.test(f) ? f : undefined;
}

const UNIT: Record<string, string> = {
  milliseconds: 'milliseconds',
  seconds: 'seconds',
  minutes: 'minutes',
  hours: 'hours',
  days: 'days',
  weeks: 'weeks',
  months: 'months',
  quarters: 'months',
  years: 'years',
};

const negate = (v: unknown) =>
  typeof v === 'number' ? -v : typeof v === 'string' && !v.startsWith('=') ? -Number(v) : v;

/** Date & Time v1 (format, calculate) and v2 (current date, add, subtract, format, time between). */
export const dateTimeMapper: N8nMapper = (p, v, _node, ctx) => {
  const opts = optionsOf(p);
  const timezone = String(opts.toTimezone ?? opts.timezone ?? ctx.timezone ?? 'UTC');
  if (v < 2) {
    const outputField = String(p.dataPropertyName ?? 'data');
    if ((p.action ?? 'format') === 'format') {
      const f = pattern(String(p.toFormat ?? 'MM/DD/YYYY'), true);
      if (!f) return unsupported(`Date & Time format "${p.toFormat}": Weft formats yyyy MM dd HH mm ss SSS only`);
      return single('dateTime.format', { value: n8nValue(p.value ?? ''), pattern: f, timezone, outputField });
    }
    const amount = n8nValue(p.duration ?? 0);
    return single(
      'dateTime.add',
      {
        value: n8nValue(p.value ?? ''),
        amount: p.operation === 'subtract' ? negate(amount) : amount,
        unit: UNIT[String(p.timeUnit ?? 'days')],
        outputField,
      },
      {
        differences: p.timeUnit === 'quarters' ? ['quarters are counted as months (3 per quarter is not applied)'] : [],
      },
    );
  }
  const op = String(p.operation ?? 'getCurrentDate');
  switch (op) {
    case 'getCurrentDate': {
      const field = String(p.outputFieldName ?? 'currentDate');
      const value = weft(p.includeTime === false ? '{{ $today.toISOString() }}' : '{{ $now.toISOString() }}');
      return single(
        'weft.set',
        { mode: 'merge', fields: [{ name: field, value, type: 'string' }] },
        {
          differences: ['the date is an ISO string in UTC'],
        },
      );
    }
    case 'addToDate':
    case 'subtractFromDate': {
      const amount = n8nValue(p.duration ?? 0);
      return single(
        'dateTime.add',
        {
          value: n8nValue(p.magnitude ?? ''),
          amount: op === 'subtractFromDate' ? negate(amount) : amount,
          unit: UNIT[String(p.timeUnit ?? 'days')] ?? 'days',
          outputField: String(p.outputFieldName ?? 'newDate'),
        },
        { differences: ['the new date is an ISO string in UTC (…Z), not in the workflow time zone'] },
      );
    }
    case 'formatDate': {
      const raw =
        p.format === 'custom' || p.format === undefined ? String(p.customFormat ?? 'yyyy-MM-dd') : String(p.format);
      const f = pattern(raw, false);
      if (!f) return unsupported(`Date & Time format "${raw}": Weft formats yyyy MM dd HH mm ss SSS only`);
      return single('dateTime.format', {
        value: n8nValue(p.date ?? ''),
        pattern: f,
        timezone,
        outputField: String(p.outputFieldName ?? 'formattedDate'),
      });
    }
    case 'getTimeBetweenDates': {
      const units = Array.isArray(p.units) ? p.units : ['day'];
      if (units.length !== 1) return unsupported('time between dates in several units at once');
      return single(
        'dateTime.difference',
        {
          start: n8nValue(p.startDate ?? ''),
          end: n8nValue(p.endDate ?? ''),
          unit: `${units[0]}s`,
          outputField: String(p.outputFieldName ?? 'timeDifference'),
        },
        { differences: ['the difference is a number, not an object keyed by unit'] },
      );
    }
    default:
      return unsupported(`Date & Time "${op}" has no Weft equivalent`);
  }
};

const HASHES = new Set(['md5', 'sha1', 'sha256', 'sha384', 'sha512', 'sha3-256', 'sha3-512']);

/** Crypto: hash, hmac and generate. */
export const cryptoMapper: N8nMapper = (p) => {
  const action = String(p.action ?? 'hash');
  const outputField = String(p.dataPropertyName ?? 'data');
  if (action === 'hash' || action === 'hmac') {
    const algorithm = String(p.type ?? 'MD5').toLowerCase();
    if (!HASHES.has(algorithm)) return unsupported(`hash algorithm ${p.type}`);
    const base = { value: n8nValue(p.value ?? ''), algorithm, encoding: String(p.encoding ?? 'hex'), outputField };
    return action === 'hash'
      ? single('crypto.hash', base)
      : single('crypto.hmac', { ...base, secret: n8nValue(p.secret ?? '') });
  }
  if (action === 'generate') {
    const kind = String(p.encodingType ?? 'uuid');
    if (kind === 'uuid') return single('crypto.generate', { kind: 'uuid', outputField });
    if (kind !== 'hex' && kind !== 'base64') return unsupported(`random ${kind} strings`);
    return single(
      'crypto.generate',
      { kind: 'bytes', length: Number(p.stringLength ?? 32), encoding: kind, outputField },
      { differences: ['the length counts random bytes, not characters of the string'] },
    );
  }
  return unsupported(`Crypto "${action}" has no Weft equivalent`);
};
