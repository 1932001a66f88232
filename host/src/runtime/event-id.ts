const EVENT_ID = /^(0|[1-9]\d{0,15})-(0|[1-9]\d{0,15})$/;

/**
 * Whether `id` is an event id as the hubs issue them: `<ms>-<seq>`, the Redis stream id format
 * (the in-memory hub uses its start time as `<ms>`), decimal without leading zeros.
 *
 * @example
 * ```ts
 * isEventId('1700000000000-3'); // true
 * isEventId('41'); // false
 * ```
 */
export function isEventId(id: string): boolean {
  return EVENT_ID.test(id);
}

/**
 * Orders two event ids (both valid per {@link isEventId}): negative when `a` is older.
 *
 * @example
 * ```ts
 * compareEventIds('1700000000000-9', '1700000000000-10'); // < 0
 * ```
 */
export function compareEventIds(a: string, b: string): number {
  const da = a.indexOf('-');
  const db = b.indexOf('-');
  if (da !== db) return da - db;
  for (let i = 0; i < da; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return a.charCodeAt(i) - b.charCodeAt(i);
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
