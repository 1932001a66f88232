import { composed, n8nValue } from './n8n-values.js';

/** A Weft condition row whose sides may still hold n8n values. */
export interface WeftCondition {
  left: unknown;
  operator: string;
  right?: unknown;
}

type Params = Record<string, unknown>;

const REGEX = (l: string, r: string) =>
  `((s) => { const m = /^\\/(.*)\\/([a-z]*)$/s.exec(s); return m ? new RegExp(m[1], m[2]) : new RegExp(s); })(String(${r})).test(String(${l}))`;

const truthy = (build: (...js: string[]) => string, ...values: unknown[]): WeftCondition => ({
  left: composed(build, ...values),
  operator: 'isTrue',
});

/** Weft's condition sides are text (or expressions): literal numbers and booleans become text. */
const text = (v: unknown) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === null ? '' : v);

const lower = (v: unknown) => composed((x) => `String(${x} ?? '').toLowerCase()`, v);

/** n8n's operator names (every version) that Weft has under another name. */
const SAME: Record<string, string> = {
  equal: 'equals',
  equals: 'equals',
  notEqual: 'notEquals',
  notEquals: 'notEquals',
  contains: 'contains',
  notContains: 'notContains',
  startsWith: 'startsWith',
  endsWith: 'endsWith',
  smaller: 'lt',
  lt: 'lt',
  smallerEqual: 'lte',
  lte: 'lte',
  larger: 'gt',
  gt: 'gt',
  largerEqual: 'gte',
  gte: 'gte',
  isEmpty: 'isEmpty',
  empty: 'isEmpty',
  isNotEmpty: 'isNotEmpty',
  notEmpty: 'isNotEmpty',
  true: 'isTrue',
  false: 'isFalse',
};

/**
 * One n8n comparison as a Weft condition: the same operator where Weft has it, otherwise an
 * expression implementing n8n's operator, checked with `isTrue`.
 *
 * @example
 * ```ts
 * condition('string', 'notStartsWith', '={{ $json.sku }}', 'X-'); // { left: <expression>, operator: 'isTrue' }
 * ```
 */
export function condition(type: string, op: string, left: unknown, right: unknown, ignoreCase = false): WeftCondition {
  const isString = type === 'string';
  const l = ignoreCase && isString ? lower(left) : text(n8nValue(left));
  const r = ignoreCase && isString ? lower(right) : text(n8nValue(right));
  if (type === 'dateTime' && op !== 'exists' && op !== 'notExists' && op !== 'empty' && op !== 'notEmpty') {
    const cmp = { after: '>', before: '<', afterOrEquals: '>=', beforeOrEquals: '<=', equals: '===', notEquals: '!==' }[
      op
    ];
    if (cmp) return truthy((a, b) => `$date.parse(${a}).getTime() ${cmp} $date.parse(${b}).getTime()`, left, right);
  }
  if (type === 'array' && op.startsWith('length')) {
    const cmp = {
      lengthEquals: '===',
      lengthNotEquals: '!==',
      lengthGt: '>',
      lengthLt: '<',
      lengthGte: '>=',
      lengthLte: '<=',
    }[op];
    if (cmp) return truthy((a, b) => `(${a} ?? []).length ${cmp} Number(${b})`, left, right);
  }
  if (type === 'boolean' && (op === 'equal' || op === 'equals' || op === 'notEqual' || op === 'notEquals')) {
    const eq = op.startsWith('not') ? '!==' : '===';
    return truthy((a, b) => `Boolean(${a}) ${eq} Boolean(${b})`, left, right);
  }
  switch (op) {
    case 'exists':
      return truthy((a) => `${a} !== undefined && ${a} !== null`, left);
    case 'notExists':
      return truthy((a) => `${a} === undefined || ${a} === null`, left);
    case 'notStartsWith':
      return truthy((a, b) => `!String(${a} ?? '').startsWith(String(${b} ?? ''))`, l, r);
    case 'notEndsWith':
      return truthy((a, b) => `!String(${a} ?? '').endsWith(String(${b} ?? ''))`, l, r);
    case 'regex':
      return truthy(REGEX, left, right);
    case 'notRegex':
      return truthy((a, b) => `!${REGEX(a, b)}`, left, right);
  }
  const same = SAME[op];
  if (same === 'isTrue' || same === 'isFalse') return { left: l, operator: same };
  if (same === 'isEmpty' || same === 'isNotEmpty') return { left: l, operator: same };
  if (same) return { left: l, operator: same, right: r };
  throw new Error(`unknown ${type} operator "${op}"`);
}

/** Conditions in n8n's v1 shape (`{ string: [{ value1, operation, value2 }], number: […] }`). */
export function conditionsV1(groups: Params | undefined): WeftCondition[] {
  const out: WeftCondition[] = [];
  const defaults: Record<string, string> = { string: 'equal', number: 'smaller', boolean: 'equal', dateTime: 'after' };
  for (const type of ['boolean', 'dateTime', 'number', 'string']) {
    for (const row of (groups?.[type] as Params[] | undefined) ?? []) {
      const v1 = row.value1 ?? (type === 'boolean' ? false : type === 'number' ? 0 : '');
      const v2 = row.value2 ?? (type === 'boolean' ? false : type === 'number' ? 0 : '');
      out.push(condition(type, String(row.operation ?? defaults[type]), v1, v2));
    }
  }
  return out;
}

/** Conditions in n8n's filter shape (IF v2, Filter v2, Switch v3): `{ conditions: [...], combinator, options }`. */
export function conditionsV2(
  filter: Params | undefined,
  ignoreCaseOption = false,
): { conditions: WeftCondition[]; combine: 'all' | 'any' } {
  const f = filter ?? {};
  const options = (f.options ?? {}) as Params;
  const ignoreCase = ignoreCaseOption || options.caseSensitive === false;
  const conditions = ((f.conditions as Params[] | undefined) ?? []).map((c) => {
    const op = (c.operator ?? {}) as Params;
    return condition(
      String(op.type ?? 'string'),
      String(op.operation ?? 'equals'),
      c.leftValue ?? '',
      c.rightValue ?? '',
      ignoreCase,
    );
  });
  return { conditions, combine: f.combinator === 'or' ? 'any' : 'all' };
}
