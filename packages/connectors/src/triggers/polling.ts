import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from '@weft/engine';
import type { ScopedState } from '../kit/scoped-state.js';

/**
 * How a polling trigger tells new items from seen ones: by a timestamp field (newer than the
 * newest seen), by an increasing id field (greater than the last), or by a hash of the item (or
 * of some fields), remembering the last `remember` hashes (default 1000).
 *
 * @example
 * ```ts
 * const dedupe: DedupeStrategy = { by: 'timestamp', field: 'updated_at' };
 * ```
 */
export type DedupeStrategy =
  | { by: 'timestamp'; field: string }
  | { by: 'id'; field: string }
  | { by: 'hash'; fields?: readonly string[]; remember?: number };

/**
 * What the first poll emits: nothing (default), the latest `count` items, or everything.
 *
 * @example
 * ```ts
 * const firstRun: FirstRunBehaviour = { emit: 'latest', count: 1 };
 * ```
 */
export type FirstRunBehaviour = { emit: 'none' } | { emit: 'latest'; count: number } | { emit: 'all' };

/**
 * Options of {@link runPoll}.
 *
 * @example
 * ```ts
 * await runPoll({ fetch, dedupe: { by: 'hash' }, state } satisfies PollOptions);
 * ```
 */
export interface PollOptions {
  fetch: () => Promise<JsonObject[]>;
  dedupe: DedupeStrategy;
  firstRun?: FirstRunBehaviour;
  state: ScopedState;
  /** Test mode: return a sample of up to `sampleSize` items, newest first, and leave the state alone. */
  test?: boolean;
  sampleSize?: number;
}

const CURSOR = 'pollCursor';

function pick(item: JsonObject, path: string, index: number): JsonValue {
  let v: JsonValue | undefined = item;
  for (const part of path.split('.')) {
    v = v && typeof v === 'object' && !Array.isArray(v) ? v[part] : undefined;
  }
  if (v === undefined || v === null) {
    throw new Error(`Polled item #${index} has no "${path}" field, which the dedupe strategy needs`);
  }
  return v;
}

type Key = number | string;
function keyOf(v: JsonValue, strategy: DedupeStrategy, index: number): Key {
  if (strategy.by === 'timestamp') {
    const t = typeof v === 'number' ? v : Date.parse(String(v));
    if (Number.isNaN(t))
      throw new Error(`Polled item #${index} field "${strategy.field}" is not a timestamp: ${JSON.stringify(v)}`);
    return t;
  }
  return typeof v === 'number' ? v : /^\d+$/.test(String(v)) ? Number(v) : String(v);
}

function hashOf(item: JsonObject, fields: readonly string[] | undefined, index: number): string {
  const basis = fields ? fields.map((f) => pick(item, f, index)) : item;
  return createHash('sha256').update(stableJson(basis)).digest('base64url').slice(0, 22);
}

function stableJson(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k] as JsonValue)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const greater = (a: Key, b: Key) => (typeof a === typeof b ? a > b : String(a) > String(b));

/**
 * One poll: fetches, keeps what is new according to the dedupe strategy and the persisted cursor,
 * moves the cursor, and returns the new items oldest first. The first poll follows `firstRun`;
 * test mode returns a sample without touching the state.
 *
 * @example
 * ```ts
 * const fresh = await runPoll({
 *   fetch: async () => (await http.request<{ items: JsonObject[] }>({ url })).body.items,
 *   dedupe: { by: 'id', field: 'id' },
 *   firstRun: { emit: 'latest', count: 1 },
 *   state: scopedState(store, 'ws1/wf1/node1'),
 * });
 * ```
 */
export async function runPoll(options: PollOptions): Promise<JsonObject[]> {
  const { dedupe, state } = options;
  const items = await options.fetch();
  if (!Array.isArray(items)) throw new Error('A polling trigger must return an array of objects');
  if (dedupe.by === 'hash') {
    const hashes = items.map((item, i) => hashOf(item, dedupe.fields, i));
    if (options.test) return items.slice(0, options.sampleSize ?? 3);
    const seen = (await state.get<string[]>(CURSOR)) ?? undefined;
    const remember = dedupe.remember ?? 1000;
    const seenSet = new Set(seen ?? []);
    const fresh = seen
      ? items.filter((_, i) => !seenSet.has(hashes[i]!))
      : firstRunSlice(items, options.firstRun, false);
    await state.set(CURSOR, [...new Set([...(seen ?? []), ...hashes])].slice(-remember));
    return fresh;
  }
  const keyed = items.map((item, i) => ({ item, key: keyOf(pick(item, dedupe.field, i), dedupe, i) }));
  keyed.sort((a, b) => (greater(a.key, b.key) ? 1 : greater(b.key, a.key) ? -1 : 0));
  if (options.test) {
    return keyed
      .slice(-(options.sampleSize ?? 3))
      .reverse()
      .map((k) => k.item);
  }
  const cursor = await state.get<Key>(CURSOR);
  const newest = keyed.at(-1)?.key;
  let fresh: JsonObject[];
  if (cursor === undefined)
    fresh = firstRunSlice(
      keyed.map((k) => k.item),
      options.firstRun,
      true,
    );
  else fresh = keyed.filter((k) => greater(k.key, cursor)).map((k) => k.item);
  if (newest !== undefined && (cursor === undefined || greater(newest, cursor))) await state.set(CURSOR, newest);
  return fresh;
}

function firstRunSlice(items: JsonObject[], first: FirstRunBehaviour | undefined, sortedAscending: boolean) {
  const behaviour = first ?? { emit: 'none' };
  if (behaviour.emit === 'none') return [];
  if (behaviour.emit === 'all') return items;
  return sortedAscending ? items.slice(-behaviour.count) : items.slice(0, behaviour.count);
}
