import type { AnyNode, Emitter } from './translate-expression.js';

const UNITS: Record<string, string> = {
  millisecond: 'millisecond',
  milliseconds: 'millisecond',
  second: 'second',
  seconds: 'second',
  minute: 'minute',
  minutes: 'minute',
  hour: 'hour',
  hours: 'hour',
  day: 'day',
  days: 'day',
  week: 'week',
  weeks: 'week',
  month: 'month',
  months: 'month',
  year: 'year',
  years: 'year',
};
const START_OF = new Set(['year', 'month', 'day', 'hour']);
const FORMAT_TOKENS = /^(?:yyyy|MM|dd|HH|mm|ss|SSS|[^A-Za-z']|'[^']*')*$/;
const PARTS: Record<string, (d: string) => string> = {
  year: (d) => `${d}.getUTCFullYear()`,
  month: (d) => `(${d}.getUTCMonth() + 1)`,
  day: (d) => `${d}.getUTCDate()`,
  hour: (d) => `${d}.getUTCHours()`,
  minute: (d) => `${d}.getUTCMinutes()`,
  second: (d) => `${d}.getUTCSeconds()`,
  millisecond: (d) => `${d}.getUTCMilliseconds()`,
  weekday: (d) => `(${d}.getUTCDay() || 7)`,
};
const UTC =
  'Luxon dates become JavaScript Dates in Weft: parts and formats are read in UTC, not the workflow time zone';

const own = <T>(table: Record<string, T>, key: string | undefined): T | undefined =>
  key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;

const str = (n: AnyNode | undefined): string | undefined =>
  n && n.type === 'Literal' && typeof n.value === 'string' ? n.value : undefined;
const name = (m: AnyNode): string | undefined =>
  m.type === 'MemberExpression' && !m.computed && m.property.type === 'Identifier' ? m.property.name : undefined;

/** The Weft Date expression for a Luxon DateTime expression, or undefined when `node` is not one. */
function dateOf(node: AnyNode, e: Emitter): string | undefined {
  if (node.type === 'Identifier' && (node.name === '$now' || node.name === '$today')) return node.name;
  if (node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') return undefined;
  const callee = node.callee as AnyNode;
  const method = name(callee);
  const args = node.arguments as AnyNode[];
  if (callee.object.type === 'Identifier' && callee.object.name === 'DateTime') {
    const a = args[0] ? e.emit(args[0]) : '';
    switch (method) {
      case 'now':
      case 'local':
      case 'utc':
        return args.length ? undefined : '$now';
      case 'fromISO':
      case 'fromSQL':
      case 'fromRFC2822':
      case 'fromHTTP':
        return `$date.parse(${a})`;
      case 'fromMillis':
        return `new Date(${a})`;
      case 'fromSeconds':
        return `new Date((${a}) * 1000)`;
      case 'fromJSDate':
        return `$date.parse(${a})`;
      default:
        return undefined;
    }
  }
  if (method === 'toDateTime' && e.expression) return `$date.parse(${e.emit(callee.object)})`;
  const base = dateOf(callee.object, e);
  if (base === undefined) return undefined;
  switch (method) {
    case 'plus':
    case 'minus':
      return shift(base, args, method === 'minus' ? '-' : '', e);
    case 'startOf': {
      const unit = own(UNITS, str(args[0]));
      if (!unit || !START_OF.has(unit)) {
        e.fail(`startOf(${args[0] ? e.emit(args[0]) : ''}) has no Weft equivalent (year, month, day and hour do)`);
        return undefined;
      }
      e.differ(UTC);
      return `$date.startOf(${base}, ${JSON.stringify(unit)})`;
    }
    case 'setZone':
    case 'toUTC':
    case 'toLocal':
      e.differ(UTC);
      return base;
    default:
      return undefined;
  }
}

function shift(base: string, args: AnyNode[], sign: string, e: Emitter): string | undefined {
  const [first, second] = args;
  if (!first) return undefined;
  if (first.type === 'ObjectExpression') {
    let out = base;
    for (const p of first.properties as AnyNode[]) {
      const key = p.key?.type === 'Identifier' ? p.key.name : str(p.key);
      const unit = own(UNITS, key);
      if (p.type !== 'Property' || !unit) {
        e.fail('this Luxon duration has no Weft equivalent');
        return undefined;
      }
      out = `$date.add(${out}, ${sign}(${e.emit(p.value)}), ${JSON.stringify(unit)})`;
    }
    return out;
  }
  const unit = second ? own(UNITS, str(second)) : 'millisecond';
  if (!unit) {
    e.fail('this Luxon duration has no Weft equivalent');
    return undefined;
  }
  return `$date.add(${base}, ${sign}(${e.emit(first)}), ${JSON.stringify(unit)})`;
}

/**
 * Rewrites Luxon DateTime uses (`$now.toFormat('yyyy-MM-dd')`, `$today.plus({ days: 1 }).toISO()`,
 * `DateTime.fromISO(x).diff($now, 'days').days`) onto Weft's `$date` helpers; undefined when the
 * node is not one.
 */
export function luxonRewrite(node: AnyNode, e: Emitter): string | undefined {
  if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression') {
    const callee = node.callee as AnyNode;
    const method = name(callee);
    const args = node.arguments as AnyNode[];
    const base = dateOf(callee.object, e);
    if (base !== undefined) {
      switch (method) {
        case 'toISO':
        case 'toString':
        case 'toJSON':
          e.differ(UTC);
          return `${base}.toISOString()`;
        case 'toISODate':
          e.differ(UTC);
          return `$date.format(${base}, "yyyy-MM-dd")`;
        case 'toFormat':
        case 'format': {
          const f = str(args[0]);
          if (f === undefined || !FORMAT_TOKENS.test(f)) {
            e.fail(`format ${args[0] ? e.emit(args[0]) : ''}: Weft's $date.format knows yyyy MM dd HH mm ss SSS only`);
            return undefined;
          }
          e.differ(UTC);
          return `$date.format(${base}, ${JSON.stringify(f.replace(/'([^']*)'/g, '$1'))})`;
        }
        case 'toMillis':
        case 'valueOf':
          return `${base}.getTime()`;
        case 'toSeconds':
          return `(${base}.getTime() / 1000)`;
        case 'toUnixInteger':
          return `Math.floor(${base}.getTime() / 1000)`;
        case 'toJSDate':
          return base;
        case 'isWeekend':
          return `$date.isWeekend(${base})`;
        case 'diff': {
          e.fail('diff() without reading a unit (.days, .hours, …) has no Weft equivalent');
          return undefined;
        }
        case 'plus':
        case 'minus':
        case 'startOf':
        case 'setZone':
        case 'toUTC':
        case 'toLocal':
          return dateOf(node, e);
        default:
          e.fail(`Luxon ${method ?? 'call'}() has no Weft equivalent`);
          return undefined;
      }
    }
    return dateOf(node, e);
  }
  if (node.type === 'MemberExpression') {
    const prop = name(node);
    const obj = node.object as AnyNode;
    // a.diff(b, 'days').days
    if (obj.type === 'CallExpression' && obj.callee.type === 'MemberExpression' && name(obj.callee) === 'diff') {
      const base = dateOf(obj.callee.object, e);
      const other = obj.arguments[0] as AnyNode | undefined;
      const unit = own(UNITS, prop);
      if (base !== undefined && other && unit) {
        const o = dateOf(other, e) ?? `$date.parse(${e.emit(other)})`;
        return `$date.diff(${base}, ${o}, ${JSON.stringify(unit)})`;
      }
    }
    const part = own(PARTS, prop);
    if (part) {
      const base = dateOf(obj, e);
      if (base !== undefined) {
        e.differ(UTC);
        return part(base);
      }
    }
  }
  return undefined;
}
