import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceUrl } from '@weft/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../testing/postgres-database.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pg = await serviceUrl('pg');
const redis = await serviceUrl('redis');

const approvalFlow = {
  id: 'approval',
  name: 'Approval',
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    { id: 'a', name: 'Approve', type: 'weft.approval', parameters: { message: 'ok?' } },
  ],
  connections: [{ source: 't', target: 'a' }],
};

/** Opens an SSE stream (subscribed once this resolves); `until(done)` reads until `done(text)` holds, then closes it. */
async function openSse(url: string, headers: Record<string, string>) {
  const ctrl = new AbortController();
  const res = await fetch(url, { headers, signal: ctrl.signal });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  return {
    async until(done: (text: string) => boolean): Promise<string> {
      let text = '';
      while (!done(text)) text += decoder.decode((await reader.read()).value, { stream: true });
      ctrl.abort();
      return text;
    },
  };
}

const readSse = async (url: string, headers: Record<string, string>, done: (text: string) => boolean) =>
  (await openSse(url, headers)).until(done);

/** `[id, event type]` of each SSE frame with an id, up to the first `workflow:waiting`. */
function framesToWaiting(text: string): Array<[string, string]> {
  const frames = [...text.matchAll(/^id: (\d+-\d+)\nevent: (\S+)$/gm)].map((m) => [m[1], m[2]] as [string, string]);
  return frames.slice(0, frames.findIndex(([, type]) => type === 'workflow:waiting') + 1);
}

const hasWaiting = (text: string) => text.includes('event: workflow:waiting');

describe.skipIf(pg.skip || redis.skip)(
  `${pg.title(redis.title('realtime events across two host processes (Postgres + Redis)'))}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-realtime-'));
    const prefix = `weft-realtime-${Date.now().toString(36)}`;
    let db: Awaited<ReturnType<typeof createTempDatabase>>;
    let a: TestHost;
    let b: TestHost;
    let token: string;
    let ws: string;

    beforeAll(async () => {
      db = await createTempDatabase(pg.url());
      const env = {
        WEFT_DATA_DIR: dir,
        WEFT_DATABASE_URL: db.url,
        WEFT_REDIS_URL: redis.url(),
        WEFT_REDIS_PREFIX: prefix,
      };
      a = await startTestHost(env, { keepDir: true });
      b = await startTestHost(env, { keepDir: true });
      token = await a.login('owner@example.com', 'owner-password');
      ws = (await a.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
      expect((await a.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: approvalFlow })).status).toBe(
        201,
      );
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await db?.drop();
      const admin = new Redis(redis.url());
      const keys = await admin.keys(`${prefix}:*`);
      if (keys.length) await admin.del(...keys);
      admin.disconnect();
      rmSync(dir, { recursive: true, force: true });
    });

    it('both processes stream an execution with the same ids; a client resumes on the other one exactly after its id', async () => {
      const auth = { authorization: `Bearer ${token}` };
      const onA = await openSse(`${a.base}/api/v1/workspaces/${ws}/events`, auth);
      const onB = await openSse(`${b.base}/api/v1/workspaces/${ws}/events`, auth);
      const run = await b.call('POST', `/api/v1/workspaces/${ws}/workflows/approval/run`, { token, body: {} });
      expect(run.status).toBe(202);
      const [textA, textB] = await Promise.all([onA.until(hasWaiting), onB.until(hasWaiting)]);
      const framesA = framesToWaiting(textA);
      expect(framesA.map(([, type]) => type)).toEqual([
        'workflow:started',
        'node:started',
        'node:executed',
        'node:started',
        'node:executed',
        'approval:required',
        'workflow:waiting',
      ]);
      expect(framesToWaiting(textB)).toEqual(framesA);

      // Read up to the second event on A, reconnect to B: the rest, no duplicate, no gap.
      const [x] = framesA[1] as [string, string];
      const resumed = await readSse(
        `${b.base}/api/v1/workspaces/${ws}/events`,
        { ...auth, 'last-event-id': x },
        hasWaiting,
      );
      expect(framesToWaiting(resumed)).toEqual(framesA.slice(2));
      expect(resumed).not.toContain('stream:gap');

      // The same through the query parameter and one execution's filter.
      const executionId = run.body.executionId as string;
      const filtered = await readSse(
        `${a.base}/api/v1/workspaces/${ws}/events?executionId=${executionId}&lastEventId=${framesA[3]?.[0]}`,
        auth,
        hasWaiting,
      );
      expect(framesToWaiting(filtered)).toEqual(framesA.slice(4));
    });

    it('tells SSE and WebSocket clients when their id is older than the backlog (or unknown)', async () => {
      const auth = { authorization: `Bearer ${token}` };
      const old = await readSse(
        `${b.base}/api/v1/workspaces/${ws}/events`,
        { ...auth, 'last-event-id': '41' },
        hasWaiting,
      );
      expect(old).toMatch(/^event: stream:gap\ndata: \{"lastEventId":"41"\}$/m);
      expect(old.indexOf('stream:gap')).toBeLessThan(old.indexOf('id: '));

      const { WebSocket } = await import('ws');
      const socket = new WebSocket(
        `${a.base.replace('http', 'ws')}/api/v1/workspaces/${ws}/ws?access_token=${token}&lastEventId=1-0`,
      );
      const messages: unknown[] = [];
      await new Promise<void>((resolve, reject) => {
        socket.on('error', reject);
        socket.on('message', (data) => {
          const message = JSON.parse(String(data));
          messages.push(message);
          if (message.event?.type === 'workflow:waiting') resolve();
        });
      });
      socket.close();
      expect(messages[0]).toEqual({ gap: { lastEventId: '1-0' } });
      expect(messages.slice(1).every((m) => typeof (m as { id: string }).id === 'string')).toBe(true);
    });
  },
);
