import type { PortItems } from '@weft/engine';

/**
 * The form a data-subject identifier is stored and looked up in: trimmed and lower-cased, so
 * `Ada@Example.com ` and `ada@example.com` are one subject.
 *
 * @example
 * ```ts
 * normaliseSubject(' Ada@Example.com'); // 'ada@example.com'
 * ```
 */
export function normaliseSubject(identifier: string): string {
  return identifier.trim().toLowerCase();
}

/**
 * The data subject an execution's trigger input names: the value at the first of `paths` (dot
 * paths into the first item's `json`, e.g. `customer.email`) that holds a non-empty string or a
 * number, normalised; undefined when none does.
 *
 * @example
 * ```ts
 * subjectAt({ main: [{ json: { customer: { email: 'Ada@example.com' } } }] }, ['email', 'customer.email']);
 * // 'ada@example.com'
 * ```
 */
export function subjectAt(input: PortItems, paths: readonly string[]): string | undefined {
  if (paths.length === 0) return undefined;
  const first = Object.values(input)[0]?.[0]?.json;
  if (!first) return undefined;
  for (const path of paths) {
    let v: unknown = first;
    for (const key of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'string' && v.trim()) return normaliseSubject(v);
  }
  return undefined;
}
