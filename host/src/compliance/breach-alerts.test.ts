import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password.js';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { createTempDatabase } from '../testing/postgres-database.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { hostAudit, INSTANCE_AUDIT_CHAIN } from './host-audit.js';

const pgService = await serviceUrl('pg');

describe.each(sqliteAndPostgres(pgService))('breach alerts on %s', (_name, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    t = await startTestHost({ ...o.env, WEFT_RATE_LIMIT_WORKSPACE: '1000000' });
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)('failed-login bursts, refused-request bursts and mass exports become audit alerts', async () => {
    const token = await t.login('owner@example.com', 'owner-password');
    const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    const rt = t.host.runtime;
    const viewer = await rt.identity.createUser({
      email: 'viewer@example.com',
      name: 'V',
      passwordHash: await hashPassword('viewer-password'),
    });
    await rt.identity.setMember(ws, viewer.id, 'viewer');
    const viewerToken = await t.login('viewer@example.com', 'viewer-password');

    for (let i = 0; i < 10; i++) {
      const r = await t.call('POST', '/api/v1/auth/login', {
        body: { email: 'owner@example.com', password: `guess-${i}` },
      });
      expect(r.status).toBe(401);
    }
    for (let i = 0; i < 20; i++) {
      const r = await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, {
        token: viewerToken,
        body: { name: `nope ${i}`, nodes: [], connections: [] },
      });
      expect(r.status).toBe(403);
    }
    for (let i = 0; i < 10; i++)
      expect((await t.call('GET', `/api/v1/workspaces/${ws}/export`, { token })).status).toBe(200);
    await hostAudit(rt).settled();

    const alerts = await t.call('GET', `/api/v1/workspaces/${ws}/security-alerts`, { token });
    expect(alerts.status).toBe(200);
    expect(alerts.body.items.map((a: { rule: string; key: string }) => [a.rule, a.key]).sort()).toEqual([
      ['denied-burst', `user:${viewer.id}`],
      ['mass-export', `user:${(await rt.identity.userByEmail('owner@example.com'))?.id}`],
    ]);
    expect(alerts.body.items[0]).toMatchObject({ count: expect.any(Number), windowMs: expect.any(Number) });
    expect((await t.call('GET', `/api/v1/workspaces/${ws}/security-alerts`, { token: viewerToken })).status).toBe(403);

    const instance = await hostAudit(rt).log.list({
      workspaceId: INSTANCE_AUDIT_CHAIN,
      action: 'security.alert',
      limit: 10,
    });
    expect(instance.map((r) => r.resource.id).sort()).toEqual(['failed-login-burst-account', 'failed-login-burst-ip']);
    // The alerts are links of the chain like any entry: it still verifies.
    expect((await t.call('GET', `/api/v1/workspaces/${ws}/audit-log/verify`, { token })).body.ok).toBe(true);
  });
});

const redis = await serviceUrl('redis');

describe.each([
  [
    'Redis',
    redis.skip,
    () => ({ WEFT_REDIS_URL: redis.url(), WEFT_REDIS_PREFIX: `weft-breach-${Date.now().toString(36)}` }),
  ],
  ['the database', false, () => ({})],
] as const)('breach counters shared by two hosts on Postgres, counted in %s', (_name, skipShared, sharedEnv) => {
  let a: TestHost;
  let b: TestHost;
  let db: Awaited<ReturnType<typeof createTempDatabase>> | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'weft-breach-'));
  const skip = pgService.skip || skipShared;

  beforeAll(async () => {
    if (skip) return;
    db = await createTempDatabase(pgService.url());
    const env = { WEFT_DATA_DIR: dir, WEFT_DATABASE_URL: db.url, ...sharedEnv() };
    a = await startTestHost(env, { keepDir: true });
    b = await startTestHost(env, { keepDir: true });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skip)('a burst of failed logins spread over both hosts raises one alert per rule', async () => {
    for (let i = 0; i < 10; i++) {
      const r = await (i % 2 ? a : b).call('POST', '/api/v1/auth/login', {
        body: { email: 'owner@example.com', password: `guess-${i}` },
      });
      expect(r.status).toBe(401);
    }
    await hostAudit(a.host.runtime).settled();
    await hostAudit(b.host.runtime).settled();
    const alerts = await hostAudit(a.host.runtime).log.list({
      workspaceId: INSTANCE_AUDIT_CHAIN,
      action: 'security.alert',
      limit: 10,
    });
    // Five failures per host: only a shared count reaches the threshold of ten.
    expect(alerts.map((r) => [r.resource.id, (r.changes as { count: number }).count]).sort()).toEqual([
      ['failed-login-burst-account', 10],
      ['failed-login-burst-ip', 10],
    ]);
  });
});
