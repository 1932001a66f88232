import type { Item, JsonObject, JsonValue } from '@weft/engine';
import type { EventTriggerDefinition } from '../kit/define-trigger.js';

/**
 * What an event name may look like: 1–128 letters, digits, `.`, `_`, `:` or `-`, starting with a
 * letter or digit (`order.created`, `billing:invoice-paid`).
 *
 * @example
 * ```ts
 * new RegExp(EVENT_NAME_PATTERN).test('order.created'); // true
 * ```
 */
export const EVENT_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$';

const NAME = new RegExp(EVENT_NAME_PATTERN);

/**
 * One event published on a host's event bus, as event triggers receive it (their item's `json`).
 *
 * @example
 * ```ts
 * const ev: PublishedEvent = { id: '0190…', event: 'order.created', payload: { orderId: 7 }, publishedAt: '2026-01-01T00:00:00.000Z' };
 * ```
 */
export interface PublishedEvent {
  id: string;
  event: string;
  payload: JsonValue;
  /** ISO 8601. */
  publishedAt: string;
}

/**
 * Checks an event name against {@link EVENT_NAME_PATTERN}; the error names `where`.
 *
 * @example
 * ```ts
 * checkEventName(node.parameters.event, `Node "${node.name}": Event`);
 * ```
 */
export function checkEventName(name: unknown, where: string): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new Error(
      `${where} must be an event name (1-128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit), got ${JSON.stringify(name)}`,
    );
  }
  return name;
}

/** Reads a dot path (`customer.tier`) inside a JSON value. */
function at(value: JsonValue, path: string): JsonValue | undefined {
  let cur: JsonValue | undefined = value;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as JsonObject)[key];
  }
  return cur;
}

function sameJson(a: JsonValue | undefined, b: JsonValue): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return kb.every((k) => sameJson((a as JsonObject)[k], (b as JsonObject)[k] as JsonValue));
}

/**
 * Whether a payload matches a filter: every key of `filter` is a dot path into the payload whose
 * value must equal (as JSON) the filter's value. An empty or missing filter matches everything.
 *
 * @example
 * ```ts
 * matchesEventFilter({ status: 'paid', customer: { tier: 'gold' } }, { status: 'paid', 'customer.tier': 'gold' }); // true
 * ```
 */
export function matchesEventFilter(payload: JsonValue, filter: JsonObject | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([path, want]) => sameJson(at(payload, path), want as JsonValue));
}

/**
 * Which events an event trigger node listens to: its event name and whether a given event
 * starts it.
 *
 * @example
 * ```ts
 * const sub = eventSubscription(trigger, props);
 * if (ev.event === sub.event && sub.accepts(ev)) launch(eventTriggerItem(ev));
 * ```
 */
export interface EventSubscription {
  event: string;
  accepts(event: PublishedEvent): boolean;
}

/**
 * Compiles an event trigger with a node's props into a {@link EventSubscription}; throws (naming
 * `where`) when the event name is invalid.
 *
 * @example
 * ```ts
 * const sub = eventSubscription(eventTrigger, { event: 'order.created', filter: { status: 'paid' } }, 'Node "On order"');
 * sub.event; // 'order.created'
 * ```
 */
export function eventSubscription(
  trigger: EventTriggerDefinition,
  props: Record<string, unknown>,
  where = `Trigger "${trigger.name}"`,
): EventSubscription {
  const name = typeof trigger.event === 'function' ? trigger.event(props as never) : trigger.event;
  const event = checkEventName(name, `${where}: event`);
  const filter = trigger.filter;
  return { event, accepts: filter ? (ev) => filter(ev, props as never) : () => true };
}

/**
 * The trigger item an execution started by an event receives.
 *
 * @example
 * ```ts
 * eventTriggerItem(ev); // { json: { event: 'order.created', payload: {...}, publishedAt: '...', id: '...' } }
 * ```
 */
export function eventTriggerItem(ev: PublishedEvent): Item {
  return { json: { event: ev.event, payload: ev.payload, publishedAt: ev.publishedAt, id: ev.id } };
}
