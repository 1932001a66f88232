import type { EngineEvent } from '@weft/engine';

/**
 * Workspace event streams hold one entry per publish (format 2): fields `n` (how many events) and
 * `b` (a JSON array of the events, in order). Format 1, before, held one event per entry in field
 * `e`; readers still take such entries as a batch of one. Each event's id is derived from its
 * entry's stream id `<ms>-<seq>` and its place `i` in the entry: `<ms>-<seq * 1000 + i>`, so ids
 * keep the `<ms>-<seq>` form, increase in publish order, and an entry holds at most
 * {@link EVENTS_PER_ENTRY} events.
 */
export const EVENTS_PER_ENTRY = 1000;

/**
 * The id of the `index`-th event of the stream entry `entryId`.
 *
 * @example
 * ```ts
 * eventIdOf('1700000000000-2', 4); // '1700000000000-2004'
 * ```
 */
export function eventIdOf(entryId: string, index: number): string {
  const dash = entryId.indexOf('-');
  return `${entryId.slice(0, dash)}-${Number(entryId.slice(dash + 1)) * EVENTS_PER_ENTRY + index}`;
}

/**
 * The stream entry an event id points into and the event's place in it.
 *
 * @example
 * ```ts
 * entryOf('1700000000000-2004'); // { entryId: '1700000000000-2', index: 4 }
 * ```
 */
export function entryOf(eventId: string): { entryId: string; index: number } {
  const dash = eventId.indexOf('-');
  const n = Number(eventId.slice(dash + 1));
  return { entryId: `${eventId.slice(0, dash)}-${Math.floor(n / EVENTS_PER_ENTRY)}`, index: n % EVENTS_PER_ENTRY };
}

/** The events of one stream entry (format 2, or format 1's single event); throws when it holds neither. */
export function entryEvents(fields: string[]): unknown[] {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'b') {
      const events = JSON.parse(fields[i + 1] as string) as unknown;
      if (!Array.isArray(events)) throw new Error('field b is not an array');
      return events;
    }
    if (fields[i] === 'e') return [JSON.parse(fields[i + 1] as string)];
  }
  throw new Error('no events field');
}

/** How many events a stream entry holds, without parsing them (format 2's `n`; 1 for format 1). */
export function entrySize(fields: string[]): number {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === 'n') return Number(fields[i + 1]);
  return fields.includes('e') ? 1 : entryEvents(fields).length;
}

/** Whether a parsed value has the shape of an engine event. */
export function isEngineEvent(event: unknown): event is EngineEvent {
  const e = event as EngineEvent | undefined;
  return typeof e?.type === 'string' && typeof e.executionId === 'string';
}
