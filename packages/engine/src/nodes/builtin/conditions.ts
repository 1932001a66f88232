import { param } from '../parameter-spec.js';

/** Comparison operators shared by If, Filter and Switch. */
export const OPERATORS = [
  { value: 'equals', label: 'is equal to' },
  { value: 'notEquals', label: 'is not equal to' },
  { value: 'gt', label: 'is greater than' },
  { value: 'gte', label: 'is greater than or equal to' },
  { value: 'lt', label: 'is less than' },
  { value: 'lte', label: 'is less than or equal to' },
  { value: 'contains', label: 'contains' },
  { value: 'notContains', label: 'does not contain' },
  { value: 'startsWith', label: 'starts with' },
  { value: 'endsWith', label: 'ends with' },
  { value: 'matches', label: 'matches regex' },
  { value: 'isEmpty', label: 'is empty' },
  { value: 'isNotEmpty', label: 'is not empty' },
  { value: 'isTrue', label: 'is true' },
  { value: 'isFalse', label: 'is false' },
] as const;

export type Operator = (typeof OPERATORS)[number]['value'];

/** One condition row: `left operator right`. Both sides usually hold expressions. */
export interface Condition {
  left?: unknown;
  operator?: Operator;
  right?: unknown;
}

/** The parameter spec of a list of conditions. */
export const conditionsParam = param.list({
  label: 'Conditions',
  description: 'Each row compares two values; use expressions such as {{ $json.total }}',
  fields: {
    left: param.string({ label: 'Value' }),
    operator: param.options({ label: 'Operator', options: OPERATORS, default: 'equals' }),
    right: param.string({ label: 'Compare to' }),
  },
  default: [],
});

/** How several conditions combine. */
export const combineParam = param.options({
  label: 'Combine',
  options: [
    { value: 'all', label: 'All conditions must hold (AND)' },
    { value: 'any', label: 'Any condition may hold (OR)' },
  ],
  default: 'all',
});

function isEmpty(v: unknown): boolean {
  return (
    v === undefined ||
    v === null ||
    v === '' ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && Object.keys(v as object).length === 0)
  );
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') return num(a) === num(b);
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return String(a) === String(b);
}

/**
 * Evaluates one condition. Numbers compare numerically when either side is a number; strings
 * otherwise.
 *
 * @example
 * ```ts
 * testCondition({ left: 5, operator: 'gt', right: '3' }); // true
 * ```
 */
export function testCondition(c: Condition): boolean {
  const { left, right } = c;
  switch (c.operator ?? 'equals') {
    case 'equals':
      return same(left, right);
    case 'notEquals':
      return !same(left, right);
    case 'gt':
      return num(left) > num(right);
    case 'gte':
      return num(left) >= num(right);
    case 'lt':
      return num(left) < num(right);
    case 'lte':
      return num(left) <= num(right);
    case 'contains':
      return Array.isArray(left) ? left.some((x) => same(x, right)) : String(left ?? '').includes(String(right ?? ''));
    case 'notContains':
      return !(Array.isArray(left)
        ? left.some((x) => same(x, right))
        : String(left ?? '').includes(String(right ?? '')));
    case 'startsWith':
      return String(left ?? '').startsWith(String(right ?? ''));
    case 'endsWith':
      return String(left ?? '').endsWith(String(right ?? ''));
    case 'matches':
      return new RegExp(String(right ?? '')).test(String(left ?? ''));
    case 'isEmpty':
      return isEmpty(left);
    case 'isNotEmpty':
      return !isEmpty(left);
    case 'isTrue':
      return left === true || left === 'true';
    case 'isFalse':
      return left === false || left === 'false';
    default:
      throw new Error(`Unknown operator "${String(c.operator)}"`);
  }
}

/** Evaluates a list of conditions; an empty list holds. */
export function testConditions(conditions: Condition[] | undefined, combine: 'all' | 'any' | undefined): boolean {
  const list = conditions ?? [];
  if (list.length === 0) return true;
  return combine === 'any' ? list.some(testCondition) : list.every(testCondition);
}
