import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../testing/postgres-database.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { type CollabClient, connectCollab } from './collab-client.js';

const pg = await serviceUrl('pg');
const redis = await serviceUrl('redis');

const flow = {
  id: 'shared',
  name: 'Shared',
  nodes: [{ id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} }],
  connections: [],
};

const until = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};
const names = (c: CollabClient) => c.doc.getMap<string>('meta').get('name');

async function member(t: TestHost, owner: string, ws: string, role: string): Promise<string> {
  const email = `${role}-${Math.random().toString(36).slice(2)}@example.com`;
  const invite = await t.call('POST', `/api/v1/workspaces/${ws}/invites`, { token: owner, body: { role, email } });
  const s = await t.call('POST', '/api/v1/auth/signup', {
    body: { token: invite.body.token, email, password: 'password-123' },
  });
  return s.body.accessToken;
}

describe('co-editing socket permissions (SQLite)', () => {
  let t: TestHost;
  let owner: string;
  let ws: string;
  let url: string;
  beforeAll(async () => {
    t = await startTestHost();
    owner = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token: owner })).body.items[0].id;
    await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token: owner, body: flow });
    url = `${t.base}/api/v1/workspaces/${ws}/workflows/shared/collab`;
  });
  afterAll(() => t?.close());

  it('relays an editor’s updates to a viewer and refuses the viewer’s own', async () => {
    const editor = await connectCollab(url, await member(t, owner, ws, 'editor'));
    const viewer = await connectCollab(url, await member(t, owner, ws, 'viewer'));
    try {
      await Promise.all([editor.synced, viewer.synced]);
      editor.doc.getMap('meta').set('name', 'From the editor');
      await until(() => names(viewer) === 'From the editor', 'the viewer to receive the edit');
      viewer.doc.getMap('meta').set('name', 'From the viewer');
      await until(() => viewer.denied.length > 0, 'the permission-denied message');
      expect(viewer.denied[0]).toMatch(/viewers cannot edit/);
      const late = await connectCollab(url, owner);
      await late.synced;
      expect(names(late)).toBe('From the editor');
      expect(names(editor)).toBe('From the editor');
      late.close();
    } finally {
      editor.close();
      viewer.close();
    }
  });

  it('shares presence between clients and drops it when one leaves', async () => {
    const a = await connectCollab(url, owner);
    const b = await connectCollab(url, await member(t, owner, ws, 'viewer'));
    try {
      a.awareness.setLocalState({ user: { name: 'Ada', color: '#d33' } });
      b.awareness.setLocalState({ user: { name: 'Bo', color: '#33d' } });
      const seen = (c: CollabClient) => [...c.awareness.getStates().values()].map((s) => s.user?.name).sort();
      await until(() => seen(a).length === 2 && seen(b).length === 2, 'both presences');
      expect(seen(a)).toEqual(['Ada', 'Bo']);
      b.close();
      await until(() => seen(a).length === 1, 'the viewer’s presence to go');
    } finally {
      a.close();
    }
  });

  it('lets an API key edit only with a workflows write scope', async () => {
    const key = async (scopes: string[]) =>
      (
        await t.call('POST', `/api/v1/workspaces/${ws}/api-keys`, {
          token: owner,
          body: { name: `k-${scopes.join()}`, role: 'editor', scopes },
        })
      ).body.key as string;
    const reader = await connectCollab(url, await key(['workflows:read']));
    const writer = await connectCollab(url, await key(['workflows:write']));
    try {
      await Promise.all([reader.synced, writer.synced]);
      reader.doc.getMap('meta').set('description', 'by the read-only key');
      await until(() => reader.denied.length > 0, 'the read-only key to be refused');
      writer.doc.getMap('meta').set('tags', ['by the write key']);
      await until(() => String(reader.doc.getMap('meta').get('tags')) === 'by the write key', 'the write key’s edit');
      expect(writer.doc.getMap('meta').get('description')).toBeUndefined();
    } finally {
      reader.close();
      writer.close();
    }
    await expect(connectCollab(url, await key(['executions:read']))).rejects.toThrow(/404/);
  });

  it('refuses strangers, other workspaces and unknown workflows on the upgrade', async () => {
    await expect(connectCollab(url, 'not-a-token')).rejects.toThrow(/401/);
    const other = await t.call('POST', '/api/v1/workspaces', { token: owner, body: { name: 'Other' } });
    const outsider = await member(t, owner, other.body.id, 'editor');
    await expect(connectCollab(url, outsider)).rejects.toThrow(/404/);
    await expect(connectCollab(url.replace('/shared/', '/missing/'), owner)).rejects.toThrow(/404/);
  });
});

describe.skipIf(pg.skip || redis.skip)(`${pg.title(redis.title('co-editing across two host processes'))}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-collab-'));
  let db: Awaited<ReturnType<typeof createTempDatabase>>;
  let a: TestHost;
  let b: TestHost;
  beforeAll(async () => {
    db = await createTempDatabase(pg.url());
    const env = {
      WEFT_DATA_DIR: dir,
      WEFT_DATABASE_URL: db.url,
      WEFT_REDIS_URL: redis.url(),
      WEFT_REDIS_PREFIX: `weft-collab-${Date.now().toString(36)}`,
    };
    a = await startTestHost(env, { keepDir: true });
    b = await startTestHost(env, { keepDir: true });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps replicas on both processes in step, and a late joiner gets the state from its peer', async () => {
    const token = await a.login('owner@example.com', 'owner-password');
    const ws = (await a.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    await a.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: flow });
    const path = `/api/v1/workspaces/${ws}/workflows/shared/collab`;
    const onA = await connectCollab(`${a.base}${path}`, token);
    await onA.synced;
    onA.doc.getMap('meta').set('name', 'Written on A');
    const onB = await connectCollab(`${b.base}${path}`, token);
    try {
      await onB.synced;
      expect(names(onB)).toBe('Written on A');
      onB.doc.getMap('meta').set('description', 'Written on B');
      await until(() => onA.doc.getMap('meta').get('description') === 'Written on B', 'B’s edit on A');
      onA.awareness.setLocalState({ user: { name: 'Ada', color: '#d33' } });
      await until(() => onB.awareness.getStates().size === 1, 'A’s presence on B');
    } finally {
      onA.close();
      onB.close();
    }
  });
});
