import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Session, WeftApiError, WeftClient } from '@weft/client';
import type { EngineEvent, Workflow } from '@weft/engine';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host, loadConfig, totp } from '../index.js';

const OWNER = { email: 'owner@example.com', password: 'owner-password' };

const flow: Workflow = {
  name: 'Client test',
  tags: ['client'],
  nodes: [
    { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] },
    {
      id: 'set',
      name: 'Set',
      type: 'weft.set',
      parameters: { fields: [{ name: 'doubled', value: '{{ $json.n * 2 }}' }] },
      position: [200, 0],
    },
  ],
  connections: [{ source: 'start', target: 'set' }],
} as unknown as Workflow;

let host: Host;
let dir: string;
let base: string;
let client: WeftClient;
let ws: string;
const sessions: (Session | null)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weft-client-test-'));
  const config = loadConfig({
    WEFT_DATA_DIR: dir,
    WEFT_PORT: '0',
    WEFT_HOST: '127.0.0.1',
    WEFT_LOG_LEVEL: 'silent',
    WEFT_SEED_EXAMPLES: 'false',
    WEFT_OWNER_EMAIL: OWNER.email,
    WEFT_OWNER_PASSWORD: OWNER.password,
    WEFT_SHUTDOWN_GRACE_MS: '2000',
  });
  host = await createHost(config, { logger: pino({ level: 'silent' }), announce: () => {} });
  base = await host.listen();
  client = new WeftClient({ baseUrl: base, onSession: (s) => sessions.push(s) });
  const r = await client.auth.login(OWNER);
  expect(r.status).toBe('signed-in');
  ws = (await client.auth.me()).workspaces[0]?.id as string;
});

afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('WeftClient against a real host', () => {
  it('reads the setup and branding anonymously', async () => {
    const anon = new WeftClient({ baseUrl: base });
    const setup = await anon.auth.setup();
    expect(setup.needsOwner).toBe(false);
    expect(setup.branding.name).toBe('Weft');
  });

  it('turns problem documents into WeftApiError with their fields', async () => {
    const anon = new WeftClient({ baseUrl: base });
    const err = await anon.auth.login({ email: OWNER.email, password: 'wrong-password' }).catch((e) => e);
    expect(err).toBeInstanceOf(WeftApiError);
    expect(err.status).toBe(401);
    expect(err.code).toBe('invalid-credentials');
    const invalid = await client.workflows.create(ws, { name: '', nodes: 'x' } as unknown as Workflow).catch((e) => e);
    expect(invalid).toBeInstanceOf(WeftApiError);
    expect(invalid.status).toBe(400);
    expect(invalid.errors.length).toBeGreaterThan(0);
  });

  it('creates, versions, lists, runs and inspects a workflow', async () => {
    const created = await client.workflows.create(ws, flow);
    expect(created.version).toBe(1);
    const updated = await client.workflows.update(ws, created.id, { ...created.workflow, description: 'v2' });
    expect(updated.version).toBe(2);
    expect((await client.workflows.versions(ws, created.id)).items.map((v) => v.version)).toEqual([2, 1]);
    const diff = await client.workflows.diff(ws, created.id);
    expect([diff.from, diff.to]).toEqual([1, 2]);
    expect(JSON.stringify(diff.diff)).toContain('description');
    const exported = await client.workflows.export(ws, created.id);
    expect([exported.name, exported.version, exported.active]).toEqual(['Client test', 2, false]);
    expect(await client.workflows.exportYaml(ws, created.id)).toContain('name: Client test');
    const { id: _id, version: _v, active: _a, ...copy } = exported;
    await client.workflows.import(ws, { workflows: [{ ...copy, id: 'imported-copy' }] });
    expect((await client.workflows.get(ws, 'imported-copy')).workflow.name).toBe('Client test');
    const n8n = {
      name: 'From n8n',
      nodes: [{ name: 'Go', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
      connections: {},
    };
    const dry = await client.workflows.import(ws, n8n, { dryRun: true });
    expect([dry.format, dry.items, dry.workflows?.[0]?.name, dry.report?.summary.exact]).toEqual([
      'n8n',
      [],
      'From n8n',
      1,
    ]);
    expect((await client.workflows.list(ws, { q: 'From n8n' })).items).toEqual([]);
    expect((await client.executions.deadLetters(ws)).items).toEqual([]);
    expect((await client.workflows.list(ws, { q: 'client' })).items.map((w) => w.id)).toContain(created.id);
    expect((await client.workflows.list(ws, { q: 'nothing-matches' })).items).toEqual([]);

    const run = await client.workflows.run(ws, created.id, { input: [{ json: { n: 21 } }], wait: true });
    const detail = await client.executions.get(ws, run.executionId);
    expect(detail.status).toBe('succeeded');
    const setRun = detail.nodeRuns.find((r) => r.nodeId === 'set');
    expect(setRun?.output?.main?.[0]?.json).toMatchObject({ n: 21, doubled: 42 });

    const listed = await client.executions.list(ws, { workflowId: created.id, status: ['succeeded'] });
    expect(listed.items.map((e) => e.id)).toContain(run.executionId);
    const retried = await client.executions.retry(ws, run.executionId, { wait: true });
    expect((await client.executions.get(ws, retried.executionId)).status).toBe('succeeded');
    const replayed = await client.executions.replay(ws, run.executionId, { fromNode: 'Set' });
    expect(replayed.reused).toEqual(['Start']);
  });

  it('test-runs an unsaved document', async () => {
    const r = await client.workflows.test(ws, flow, { input: [{ json: { n: 2 } }] });
    expect(r.status).toBe('succeeded');
    expect(r.nodeRuns.find((n) => n.nodeId === 'set')?.output?.main?.[0]?.json).toMatchObject({ doubled: 4 });
  });

  it('streams events and resumes after the last event id', async () => {
    const created = await client.workflows.create(ws, { ...flow, name: 'Streamed' });
    const seen: { id: string; event: EngineEvent }[] = [];
    const sub = client.subscribe(ws, { onEvent: (event, id) => seen.push({ id, event }) });
    await new Promise((r) => setTimeout(r, 200));
    const run = await client.workflows.run(ws, created.id, { input: [{ json: { n: 1 } }], wait: true });
    await expect.poll(() => seen.some((s) => s.event.type === 'workflow:completed'), { timeout: 5000 }).toBe(true);
    sub.close();
    const first = seen.find((s) => 'executionId' in s.event && s.event.executionId === run.executionId);
    expect(first?.event.type).toBe('workflow:started');

    const resumed: EngineEvent[] = [];
    const again = client.subscribe(ws, { lastEventId: first?.id, onEvent: (e) => resumed.push(e) });
    await expect.poll(() => resumed.some((e) => e.type === 'workflow:completed'), { timeout: 5000 }).toBe(true);
    again.close();
    expect(resumed.some((e) => e.type === 'workflow:started')).toBe(false);
  });

  it('reports a gap when the host no longer has the events after the id, then streams on', async () => {
    const created = await client.workflows.create(ws, { ...flow, name: 'Gapped' });
    const gaps: unknown[] = [];
    const events: EngineEvent[] = [];
    const opened: string[] = [];
    // An id from before the host started: whatever came after it is gone.
    const sub = client.subscribe(ws, {
      lastEventId: '1-0',
      onGap: (gap) => gaps.push(gap),
      onEvent: (e) => events.push(e),
      onStatus: (status) => status === 'open' && opened.push(status),
    });
    await expect.poll(() => opened.length, { timeout: 5000 }).toBe(1);
    await expect.poll(() => gaps.length, { timeout: 5000 }).toBe(1);
    const run = await client.workflows.run(ws, created.id, { input: [{ json: { n: 3 } }], wait: true });
    await expect
      .poll(() => events.some((e) => e.type === 'workflow:completed' && e.executionId === run.executionId), {
        timeout: 5000,
      })
      .toBe(true);
    sub.close();
    expect(gaps).toEqual([{ lastEventId: '1-0' }]);
    expect(events.every((e) => typeof e.type === 'string' && typeof e.executionId === 'string')).toBe(true);
  });

  it('manages credentials (write-only), API keys and members', async () => {
    const cred = await client.workspaces.createCredential(ws, {
      type: 'apiKey',
      name: 'Shop',
      data: { key: 's3cret' },
    });
    const creds = await client.workspaces.credentials(ws);
    expect(creds.items.map((c) => c.id)).toContain(cred.id);
    expect(JSON.stringify(creds)).not.toContain('s3cret');
    await client.workspaces.deleteCredential(ws, cred.id);

    const key = await client.workspaces.createApiKey(ws, { name: 'CI', role: 'viewer', scopes: ['workflows:read'] });
    expect(key.key).toMatch(/^weft_/);
    const byKey = new WeftClient({ baseUrl: base, apiKey: key.key });
    expect((await byKey.workflows.list(ws)).items.length).toBeGreaterThan(0);
    const denied = await byKey.workflows.create(ws, flow).catch((e) => e);
    expect(denied).toBeInstanceOf(WeftApiError);
    expect(denied.status).toBe(403);
    await client.workspaces.revokeApiKey(ws, key.id);
    expect((await byKey.workflows.list(ws).catch((e) => e)).code).toBe('invalid-api-key');

    const invite = await client.workspaces.invite(ws, { role: 'editor', email: 'bo@example.com' });
    const bo = new WeftClient({ baseUrl: base });
    await bo.auth.signup({ token: invite.token, email: 'bo@example.com', password: 'bo-password-1' });
    const members = await client.workspaces.members(ws);
    const boMember = members.items.find((m) => m.email === 'bo@example.com');
    expect(boMember?.role).toBe('editor');
    await client.workspaces.setRole(ws, boMember?.userId as string, 'viewer');
    expect((await client.workspaces.members(ws)).items.find((m) => m.email === 'bo@example.com')?.role).toBe('viewer');
  });

  it('asks for the second factor, then signs in with a TOTP code', async () => {
    const user = new WeftClient({ baseUrl: base });
    const invite = await client.workspaces.invite(ws, { role: 'viewer' });
    await user.auth.signup({ token: invite.token, email: 'mfa@example.com', password: 'mfa-password-1' });
    const { secret } = await user.auth.mfaSetup();
    const { recoveryCodes } = await user.auth.mfaEnable(totp(secret));
    expect(recoveryCodes).toHaveLength(10);

    const fresh = new WeftClient({ baseUrl: base });
    const step = await fresh.auth.login({ email: 'mfa@example.com', password: 'mfa-password-1' });
    expect(step.status).toBe('mfa-required');
    const done = await fresh.auth.login({ email: 'mfa@example.com', password: 'mfa-password-1', code: totp(secret) });
    expect(done.status).toBe('signed-in');
    expect((await fresh.auth.me()).user.email).toBe('mfa@example.com');
  });

  it('refreshes an expired access token once and reports the new session', async () => {
    const before = sessions.length;
    const stale = new WeftClient({
      baseUrl: base,
      session: { accessToken: 'not-a-valid-token', refreshToken: client.transport.refreshToken as string },
      onSession: (s) => sessions.push(s),
    });
    expect((await stale.auth.me()).user.email).toBe(OWNER.email);
    expect(sessions.length).toBe(before + 1);
    expect(sessions.at(-1)?.accessToken).toBe(stale.transport.token);
    await stale.auth.logout();
    expect(stale.signedIn).toBe(false);
    expect(sessions.at(-1)).toBeNull();
  });
});
