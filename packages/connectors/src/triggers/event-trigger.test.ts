import { MemoryDeliveryLog } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { findTrigger } from '../kit/connector-node-types.js';
import { defineConnector } from '../kit/define-connector.js';
import type { EventTriggerDefinition } from '../kit/define-trigger.js';
import { defineTrigger } from '../kit/define-trigger.js';
import { describeTrigger } from '../kit/describe-connector.js';
import { coreTriggers, eventTrigger } from './core-triggers.js';
import {
  checkEventName,
  eventSubscription,
  eventTriggerItem,
  matchesEventFilter,
  type PublishedEvent,
} from './event-trigger.js';

const ev = (payload: PublishedEvent['payload'], event = 'order.created'): PublishedEvent => ({
  id: 'e1',
  event,
  payload,
  publishedAt: '2026-01-01T00:00:00.000Z',
});

describe('event triggers', () => {
  it('weft.event listens to the event named in its props and filters on payload paths', () => {
    expect(findTrigger([coreTriggers], 'weft.event')?.trigger).toBe(eventTrigger);
    const sub = eventSubscription(eventTrigger as EventTriggerDefinition, {
      event: 'order.created',
      filter: { status: 'paid', 'customer.tier': 'gold' },
    });
    expect(sub.event).toBe('order.created');
    expect(sub.accepts(ev({ status: 'paid', customer: { tier: 'gold', id: 3 } }))).toBe(true);
    expect(sub.accepts(ev({ status: 'paid', customer: { tier: 'silver' } }))).toBe(false);
    expect(sub.accepts(ev({ status: 'open' }))).toBe(false);
    expect(sub.accepts(ev('not an object'))).toBe(false);
    const all = eventSubscription(eventTrigger as EventTriggerDefinition, { event: 'order.created' });
    expect(all.accepts(ev(null))).toBe(true);
  });

  it('compares filter values as JSON, objects and arrays included', () => {
    expect(matchesEventFilter({ tags: ['a', 'b'], n: 1 }, { tags: ['a', 'b'], n: 1 })).toBe(true);
    expect(matchesEventFilter({ tags: ['a', 'b'] }, { tags: ['b', 'a'] })).toBe(false);
    expect(matchesEventFilter({ a: { b: 1, c: 2 } }, { a: { c: 2, b: 1 } })).toBe(true);
    expect(matchesEventFilter({ a: { b: 1 } }, { a: { b: 1, c: null } })).toBe(false);
    expect(matchesEventFilter({ n: 1 }, { n: '1' })).toBe(false);
    expect(matchesEventFilter({ n: 1 }, {})).toBe(true);
  });

  it('refuses bad event names and filters, naming where', () => {
    expect(() =>
      eventSubscription(eventTrigger as EventTriggerDefinition, { event: 'has space' }, 'Event trigger "On order"'),
    ).toThrow(/Event trigger "On order": event must be an event name .*"has space"/);
    expect(() => eventSubscription(eventTrigger as EventTriggerDefinition, { event: 'x', filter: [1] })).toThrow(
      /Filter must be a JSON object/,
    );
    expect(() => checkEventName('.leading-dot', 'name')).toThrow(/name must be an event name/);
    expect(checkEventName('billing:invoice-paid_v2', 'name')).toBe('billing:invoice-paid_v2');
    expect(() => checkEventName('x'.repeat(129), 'name')).toThrow();
  });

  it('a connector event trigger fires on its fixed event, through its own filter', () => {
    const orderCreated = defineTrigger({
      kind: 'event',
      name: 'orderCreated',
      displayName: 'Order created',
      description: 'On order.created',
      props: {},
      event: 'order.created',
      filter: (e) => (e.payload as { total?: number }).total !== 0,
    });
    const shop = defineConnector({
      name: 'shop',
      displayName: 'Shop',
      description: 'Shop events',
      version: '1.0.0',
      actions: [],
      triggers: [orderCreated],
    });
    const found = findTrigger([shop], 'shop.orderCreated');
    const sub = eventSubscription(found?.trigger as EventTriggerDefinition, {});
    expect(sub.event).toBe('order.created');
    expect(sub.accepts(ev({ total: 5 }))).toBe(true);
    expect(sub.accepts(ev({ total: 0 }))).toBe(false);
    expect(describeTrigger(shop, orderCreated)).toContain('Event: `order.created`.');
    expect(describeTrigger(coreTriggers, eventTrigger)).toContain('Event: chosen in the properties.');
  });

  it('the trigger item carries the event, payload, time and id', () => {
    expect(eventTriggerItem(ev({ orderId: 7 }))).toEqual({
      json: { event: 'order.created', payload: { orderId: 7 }, publishedAt: '2026-01-01T00:00:00.000Z', id: 'e1' },
    });
  });
});

describe('MemoryDeliveryLog', () => {
  it('filters by workspace and workflow and pages newest first with a keyset cursor', async () => {
    const log = new MemoryDeliveryLog();
    const base = {
      direction: 'inbound' as const,
      endpoint: 'orders',
      attempt: 1,
      status: 202,
      ok: true,
      durationMs: 1,
    };
    await log.record({ ...base, id: 'a', workspaceId: 'ws1', workflowId: 'wf', at: 1 });
    await log.record({ ...base, id: 'c', workspaceId: 'ws1', workflowId: 'wf', at: 2 });
    await log.record({ ...base, id: 'b', workspaceId: 'ws1', workflowId: 'wf', at: 2 });
    await log.record({ ...base, id: 'd', workspaceId: 'ws2', workflowId: 'wf', at: 3 });
    const first = await log.list({ workspaceId: 'ws1', workflowId: 'wf', limit: 2 });
    expect(first.map((e) => e.id)).toEqual(['c', 'b']);
    const last = first[1] as { at: number; id: string };
    const next = await log.list({ workspaceId: 'ws1', workflowId: 'wf', before: { at: last.at, id: last.id } });
    expect(next.map((e) => e.id)).toEqual(['a']);
  });
});
