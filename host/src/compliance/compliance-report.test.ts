import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password.js';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { orderWebhookWorkflow } from '../workflows/example-workflows.js';

const pg = await serviceUrl('pg');
// Built at run time so this file holds no key-shaped string.
const awsKey = `AKIA${'QWERTYUIOPASDFGH'}`;
const DAY = 86_400_000;

describe.each(sqliteAndPostgres(pg))('compliance reports on %s', (_title, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (skip) return;
    const backend = await open();
    drop = backend.drop;
    t = await startTestHost({ ...backend.env, WEFT_SEED_EXAMPLES: 'false', WEFT_DELIVERY_RETENTION_DAYS: '21' });
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)(
    'reports members, MFA coverage, key ages, the audit chain and scans, stored as JSON and HTML',
    async () => {
      const token = await t.login('owner@example.com', 'owner-password');
      const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
      const api = (path: string) => `/api/v1/workspaces/${ws}${path}`;
      const rt = t.host.runtime;
      const owner = await rt.identity.userByEmail('owner@example.com');
      await rt.identity.setTotp(owner?.id as string, { enabled: true });
      for (const [email, role] of [
        ['admin@example.com', 'admin'],
        ['viewer@example.com', 'viewer'],
        ['editor@example.com', 'editor'],
      ] as const) {
        const u = await rt.identity.createUser({
          email,
          name: role,
          passwordHash: await hashPassword(`${role}-password`),
        });
        await rt.identity.setMember(ws, u.id, role);
        if (role === 'admin') await rt.identity.setTotp(u.id, { enabled: true });
      }
      const oldKey = await t.call('POST', api('/api-keys'), { token, body: { name: 'CI deploy' } });
      expect(oldKey.status).toBe(201);
      const newKey = await t.call('POST', api('/api-keys'), { token, body: { name: 'Zapier', expiresInDays: 30 } });
      expect(newKey.status).toBe(201);
      const revoked = await t.call('POST', api('/api-keys'), { token, body: { name: 'Old' } });
      expect((await t.call('DELETE', api(`/api-keys/${revoked.body.id}`), { token })).status).toBe(204);
      // The first key was made 120 days ago.
      await rt.h.db
        .updateTable('api_keys')
        .set({ created_at: Date.now() - 120 * DAY - 60_000 })
        .where('id', '=', oldKey.body.id)
        .execute();

      const leaky = orderWebhookWorkflow('leaky', 'leaky');
      const set = leaky.nodes.find((n) => n.id === 'tag-large');
      if (set) set.parameters = { fields: [{ name: 'key', value: awsKey }] };
      expect((await t.call('POST', api('/workflows'), { token, body: leaky })).status).toBe(201);
      expect(
        (await t.call('POST', api('/workflows'), { token, body: orderWebhookWorkflow('clean', 'clean') })).status,
      ).toBe(201);
      const scanRuns = (await t.call('GET', api('/scan-runs'), { token })).body.items as {
        workflowId: string;
        counts: Record<string, number>;
      }[];

      const viewerToken = await t.login('viewer@example.com', 'viewer-password');
      expect((await t.call('POST', api('/reports'), { token: viewerToken })).status).toBe(403);
      expect((await t.call('GET', api('/reports'), { token: viewerToken })).status).toBe(403);

      const created = await t.call('POST', api('/reports'), { token });
      expect(created.status).toBe(201);
      const r = created.body;
      expect(r).toMatchObject({
        format: 'weft-compliance-report/1',
        workspaceId: ws,
        generatedBy: { type: 'user', id: owner?.id },
        members: { total: 4, byRole: { owner: 1, admin: 1, editor: 1, viewer: 1 } },
        mfa: { enabled: 2, total: 4, coverage: 0.5 },
        apiKeys: { active: 2, revoked: 1, withoutExpiry: 1, dueForRotation: 1, oldestAgeDays: 120 },
        auditChain: { ok: true, broken: null },
        retention: { deliveryRetentionDays: 21, encryptPayloads: false, auditArchives: 0 },
      });
      expect([...r.mfa.without].sort()).toEqual(['editor@example.com', 'viewer@example.com']);
      expect(r.apiKeys.items.map((k: { name: string; ageDays: number }) => [k.name, k.ageDays])).toEqual([
        ['CI deploy', 120],
        ['Zapier', 0],
      ]);
      const verify = (await t.call('GET', api('/audit-log/verify'), { token })).body;
      // The verification the report holds covered every entry written before it (the report's own
      // creation is recorded after it).
      expect(r.auditChain.entries).toBeGreaterThan(5);
      expect(verify.entries).toBeGreaterThanOrEqual(r.auditChain.entries);
      const leakyRun = scanRuns.find((s) => s.workflowId === 'leaky');
      expect(r.scans.workflowsScanned).toBe(2);
      expect(r.scans.workflows.find((w: { workflowId: string }) => w.workflowId === 'leaky').findings).toEqual(
        leakyRun?.counts,
      );
      expect(r.scans.findings.critical).toBe(scanRuns.reduce((n, s) => n + (s.counts.critical ?? 0), 0));
      expect(r.scans.findings.critical).toBeGreaterThanOrEqual(1);

      // Stored in the compliance-docs bucket, listed, and readable in both formats.
      const bucket = rt.blob.storage.bucket('compliance-docs');
      const stored = await bucket.get(`reports/${ws}/${r.id}.json`);
      expect(JSON.parse(new TextDecoder().decode(stored))).toEqual(r);
      const second = (await t.call('POST', api('/reports'), { token })).body;
      const list = await t.call('GET', api('/reports'), { token });
      expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([second.id, r.id]);
      expect(list.body.items[1]).toMatchObject({ generatedBy: `user:${owner?.id}`, auditChainOk: true });
      expect((await t.call('GET', api(`/reports/${r.id}`), { token })).body).toEqual(r);
      const html = await t.call('GET', api(`/reports/${r.id}/html`), { token });
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toContain('text/html');
      expect(html.text).toContain('50% (2 of 4 members)');
      expect(html.text).toContain('editor@example.com');
      expect(html.text).toMatch(/<td>CI deploy<\/td>.*<td>120<\/td>/s);
      expect(html.text).toContain('class="ok"');
      expect(html.text).not.toContain(awsKey);
      expect((await t.call('GET', api('/reports/rpt_nothere'), { token })).status).toBe(404);
      expect((await t.call('GET', api('/reports/..%2Fsecrets'), { token })).status).toBe(400);
    },
  );
});
