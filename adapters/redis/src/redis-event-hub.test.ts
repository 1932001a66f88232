import { randomBytes } from 'node:crypto';
import { compareEventIds, type EngineEvent, type HubEvent, type HubGap, type HubListener } from '@weft/engine';
import { serviceUrl } from '@weft/testing';
import { Redis } from 'ioredis';
import { firstValueFrom, Subject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisEventBridge } from './redis-event-bridge.js';
import { RedisEventHub } from './redis-event-hub.js';

const redis = await serviceUrl('redis');

const event = (executionId: string, seq: number): EngineEvent => ({
  type: 'node:started',
  workspaceId: 'ws',
  executionId,
  workflowId: 'wf',
  seq,
  at: 1_700_000_000_000 + seq,
  nodeId: 'n1',
  nodeName: 'Set',
  runIndex: 0,
});

function recorder() {
  const got: Array<HubEvent | { gap: HubGap }> = [];
  const listener: HubListener = { event: (e) => got.push(e), gap: (gap) => got.push({ gap }) };
  const ids = () => got.map((g) => ('gap' in g ? 'gap' : g.id));
  return { got, listener, ids };
}

async function until(check: () => boolean, what: string) {
  const end = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** One host "process": its own Redis client (named, so a test can kill its connections), bridge and hub. */
interface Proc {
  name: string;
  bridge: RedisEventBridge;
  hub: RedisEventHub;
}

describe.skipIf(redis.skip)(redis.title('RedisEventHub: two host processes sharing Redis'), () => {
  let prefix: string;
  let clients: Redis[];
  let procs: Proc[];
  const open = async (tag: string, options: { maxLength?: number } = {}): Promise<Proc> => {
    const name = `${prefix}-${tag}`;
    const client = new Redis(redis.url(), { connectionName: name, maxRetriesPerRequest: null });
    client.on('error', () => {}); // a test kills connections on purpose; ioredis reconnects
    clients.push(client);
    const bridge = new RedisEventBridge({ redis: client, prefix, ...options });
    const hub = new RedisEventHub({ bridge, pageSize: 7 }); // small pages: replays span several reads
    await hub.ready();
    const proc = { name, bridge, hub };
    procs.push(proc);
    return proc;
  };
  /** Publishes `events` from `proc` in order, as `bridge.forward(engine.events$)` does; resolves with their ids. */
  const publish = (proc: Proc, events: EngineEvent[]) => Promise.all(events.map((e) => proc.bridge.publish(e)));
  const ofExecution = (executionId: string, from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => event(executionId, from + i));

  beforeEach(() => {
    prefix = `weft-test-${randomBytes(5).toString('hex')}`;
    clients = [];
    procs = [];
  });
  afterEach(async () => {
    for (const p of procs) {
      p.hub.close();
      await p.bridge.close();
    }
    const admin = new Redis(redis.url());
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length) await admin.del(...keys);
    admin.disconnect();
    for (const c of clients) c.disconnect();
  });

  it('gives an event the same id on every process, ids increasing in publish order', async () => {
    const [a, b] = [await open('a'), await open('b')];
    const onA = recorder();
    const onB = recorder();
    a.hub.subscribe('ws', {}, onA.listener);
    b.hub.subscribe('ws', {}, onB.listener);
    const forwarded = new Subject<EngineEvent>();
    const forwarding = a.bridge.forward(forwarded);
    for (let seq = 1; seq <= 30; seq++) forwarded.next(event('from-a', seq));
    const fromB = await publish(b, ofExecution('from-b', 1, 30));
    await until(() => onA.got.length === 60 && onB.got.length === 60, '60 events on both processes');
    forwarding.unsubscribe();
    expect(onB.got).toEqual(onA.got);
    const ids = onA.ids();
    expect([...ids].sort(compareEventIds)).toEqual(ids);
    expect(new Set(ids).size).toBe(60);
    expect(fromB.map((r) => r.id)).toEqual(
      onA.got.filter((e) => 'event' in e && e.event.executionId === 'from-b').map((e) => (e as HubEvent).id),
    );
    for (const executionId of ['from-a', 'from-b']) {
      const seqs = onB.got
        .filter((e) => 'event' in e && e.event.executionId === executionId)
        .map((e) => (e as HubEvent).event.seq);
      expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    }
  });

  it('a client that read up to X on one process resumes on another with exactly the events after X', async () => {
    const [a, b] = [await open('a'), await open('b')];
    const first = recorder();
    const stop = a.hub.subscribe('ws', {}, first.listener);
    const published = (await publish(a, [...ofExecution('e1', 1, 20), ...ofExecution('e2', 1, 20)])).map((r) => r.id);
    await until(() => first.got.length === 40, 'the first 40 events on process A');
    stop(); // the client disconnects after reading 25 of them, say
    const x = first.ids()[24] as string;
    published.push(...(await publish(b, ofExecution('e3', 1, 15))).map((r) => r.id)); // while it is away
    const resumed = recorder();
    // It reconnects to B while events keep coming: the backlog read and live delivery overlap.
    const racing = publish(a, ofExecution('e4', 1, 40));
    b.hub.subscribe('ws', { lastEventId: x }, resumed.listener);
    published.push(...(await racing).map((r) => r.id));
    const expected = published.slice(published.indexOf(x) + 1);
    await until(() => resumed.got.length >= expected.length, 'every event after X on process B');
    expect(resumed.ids()).toEqual(expected);
    expect(first.ids().slice(0, 25).concat(resumed.ids())).toEqual(published);
  });

  it('filters one execution, in the replay and live', async () => {
    const [a, b] = [await open('a'), await open('b')];
    const [x] = (await publish(a, [event('e1', 1)])).map((r) => r.id);
    await publish(a, [event('e2', 1), event('e1', 2), event('e2', 2)]);
    const onlyE2 = recorder();
    b.hub.subscribe('ws', { executionId: 'e2', lastEventId: x as string }, onlyE2.listener);
    await publish(a, [event('e1', 3), event('e2', 3)]);
    await until(() => onlyE2.got.length === 3, 'three events of e2');
    expect(onlyE2.got.map((e) => ('event' in e ? [e.event.executionId, e.event.seq] : e))).toEqual([
      ['e2', 1],
      ['e2', 2],
      ['e2', 3],
    ]);
  });

  it('reports an id older than the retained backlog (or unknown) with a gap, then sends every retained event', async () => {
    // XADD MAXLEN ~ trims whole stream nodes (100 entries): 260 events with maxLength 10 drop at least 100.
    const a = await open('a', { maxLength: 10 });
    const b = await open('b', { maxLength: 10 });
    const published = (await publish(a, ofExecution('e1', 1, 260))).map((r) => r.id);
    const oldest = ((await b.bridge.read('ws', { after: '0-0', count: 1000 })).events[0] as HubEvent).id;
    const retained = published.slice(published.indexOf(oldest));
    expect(retained.length).toBeGreaterThanOrEqual(10);
    expect(retained.length).toBeLessThan(260);
    const justBefore = published[published.indexOf(oldest) - 1] as string;
    for (const lastEventId of [published[0] as string, justBefore, '41', '1-0']) {
      const r = recorder();
      b.hub.subscribe('ws', { lastEventId }, r.listener);
      await until(() => r.got.length === retained.length + 1, `gap and backlog after ${lastEventId}`);
      expect(r.got[0]).toEqual({ gap: { lastEventId } });
      expect(r.ids().slice(1)).toEqual(retained);
    }
    const kept = recorder(); // resuming after a retained id is exact: no gap
    b.hub.subscribe('ws', { lastEventId: oldest }, kept.listener);
    await publish(a, [event('e1', 261)]);
    await until(() => kept.got.length === retained.length, 'the backlog after the oldest kept id and one live');
    expect(kept.ids()).toEqual([...retained.slice(1), (kept.got.at(-1) as HubEvent).id]);
    expect((kept.got.at(-1) as HubEvent).event.seq).toBe(261);
  });

  it('fills in what pub/sub dropped while its connection was down', async () => {
    const [a, b] = [await open('a'), await open('b')];
    const watching = recorder();
    b.hub.subscribe('ws', {}, watching.listener);
    const published = (await publish(a, ofExecution('e1', 1, 5))).map((r) => r.id);
    await until(() => watching.got.length === 5, 'the first events');
    const back = firstValueFrom(b.bridge.resubscribed$);
    const admin = new Redis(redis.url());
    try {
      const line = String(await admin.client('LIST', 'TYPE', 'pubsub'))
        .split('\n')
        .find((l) => l.includes(` name=${b.name} `));
      const id = /(?:^|\s)id=(\d+)/.exec(line ?? '')?.[1];
      expect(id).toBeDefined();
      await admin.call('CLIENT', 'KILL', 'ID', id as string);
    } finally {
      admin.disconnect();
    }
    // Published after the kill, before the subscriber reconnects (ioredis waits 50 ms): pub/sub loses them.
    published.push(...(await publish(a, ofExecution('e1', 6, 25))).map((r) => r.id));
    await back;
    published.push(...(await publish(a, ofExecution('e1', 26, 30))).map((r) => r.id));
    await until(() => watching.got.length >= 30, 'all 30 events');
    expect(watching.ids()).toEqual(published);
  });
});
