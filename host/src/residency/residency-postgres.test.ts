import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { weftMigrations } from '@weft/sql';
import { serviceUrl } from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysRotateCommand } from '../cli/maintenance-commands.js';
import { filesText, rowsAsText, tablesWith } from '../testing/database-dump.js';
import { createTempDatabase } from '../testing/postgres-database.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pgService = await serviceUrl('pg');
const latest = Math.max(...weftMigrations.map((m) => m.version));

describe.skipIf(pgService.skip)(pgService.title('data residency over two Postgres regions'), () => {
  const tag = randomBytes(4).toString('hex');
  const work = mkdtempSync(join(tmpdir(), 'weft-residency-'));
  const dbs: Record<'control' | 'eu' | 'us', { url: string; drop: () => Promise<void> }> = {} as never;
  let t: TestHost;
  let token: string;
  const api = (p: string) => `/api/v1/workspaces/${p}`;
  /** What each region's workspace stores; every string is unique to its workspace. */
  const mark = (region: string) => ({
    payload: `${region.toUpperCase()}-PAYLOAD-${tag}`,
    secret: `${region}-secret-${tag}`,
    credential: `${region} hook secret ${tag}`,
    workflow: `${region}-orders-${tag}`,
    path: `${region}-orders-${tag}`,
  });
  const ws: Record<'eu' | 'us', string> = { eu: '', us: '' };

  beforeAll(async () => {
    for (const k of ['control', 'eu', 'us'] as const) dbs[k] = await createTempDatabase(pgService.url());
    t = await startTestHost(
      {
        WEFT_DATA_DIR: work,
        WEFT_DATABASE_URL: dbs.control.url,
        WEFT_REGIONS: `eu=${dbs.eu.url},us=${dbs.us.url}`,
        WEFT_DEFAULT_REGION: 'us',
        WEFT_RATE_LIMIT_WORKSPACE: '1000000',
      },
      { keepDir: true },
    );
    token = await t.login('owner@example.com', 'owner-password');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    for (const d of Object.values(dbs)) await d.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('lists the regions and fixes a workspace to the one asked for at creation', async () => {
    const regions = await t.call('GET', '/api/v1/regions', { token });
    expect(regions.body).toEqual({ items: [{ name: 'eu' }, { name: 'us' }], default: 'us' });
    const unknown = await t.call('POST', '/api/v1/workspaces', { token, body: { name: 'Moon', region: 'moon' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'unknown-region', errors: [{ in: 'body', path: '/region' }] });
    expect(unknown.body.detail).toContain('eu, us');
    for (const region of ['eu', 'us'] as const) {
      const created = await t.call('POST', '/api/v1/workspaces', { token, body: { name: `Acme ${region}`, region } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ region, role: 'owner' });
      ws[region] = created.body.id;
    }
    const listed = (await t.call('GET', '/api/v1/workspaces', { token })).body.items;
    expect(listed.find((w: { id: string }) => w.id === ws.eu)).toMatchObject({ region: 'eu' });
    // The first-run owner's workspace went to the default region.
    expect(listed.find((w: { name: string }) => w.name === 'Default')).toMatchObject({ region: 'us' });
  });

  it("keeps an EU workspace's workflows, credentials, executions, audit and payload blobs out of the US database", async () => {
    for (const region of ['eu', 'us'] as const) {
      const m = mark(region);
      const cred = await t.call('POST', api(`${ws[region]}/credentials`), {
        token,
        body: { type: 'weft.webhookHeaderSecret', name: m.credential, data: { header: 'x-token', secret: m.secret } },
      });
      expect(cred.status).toBe(201);
      const wf = await t.call('POST', api(`${ws[region]}/workflows`), {
        token,
        body: {
          id: m.workflow,
          name: m.workflow,
          nodes: [
            {
              id: 'hook',
              name: 'Hook',
              type: 'weft.webhook',
              parameters: { path: m.path, methods: ['POST'], responseMode: 'lastNode' },
              credentials: { auth: cred.body.id },
            },
            {
              id: 'mark',
              name: 'Mark',
              type: 'weft.set',
              parameters: { fields: [{ name: 'seen', value: m.payload }] },
            },
          ],
          connections: [{ source: 'hook', target: 'mark' }],
        },
      });
      expect(wf.status).toBe(201);
      expect((await t.call('POST', api(`${ws[region]}/workflows/${m.workflow}/activate`), { token })).status).toBe(200);
      // One small run, and one whose payload (> 64 KiB) goes to the region's payload blobs.
      for (const body of [{ order: m.payload }, { order: m.payload, pad: `${m.payload} `.repeat(4000) }]) {
        const hook = await t.call('POST', `/hooks/${m.path}`, { body, headers: { 'x-token': m.secret } });
        expect(hook.status, hook.text).toBe(200);
        expect(hook.text).toContain(m.payload);
      }
      const runs = await t.call('GET', api(`${ws[region]}/executions`), { token });
      expect(runs.status).toBe(200);
      expect(runs.body.items).toHaveLength(2);
      expect(runs.body.items.every((e: { status: string }) => e.status === 'succeeded')).toBe(true);
      const audit = await t.call('GET', api(`${ws[region]}/audit-log`), { token });
      expect(audit.status).toBe(200);
      expect(audit.body.items.length).toBeGreaterThan(0);
    }

    const [control, eu, us] = await Promise.all([dbs.control, dbs.eu, dbs.us].map((d) => rowsAsText(d.url)));
    const euMarks = [ws.eu, ...Object.values(mark('eu'))];
    const usMarks = [ws.us, ...Object.values(mark('us'))];
    for (const needle of euMarks) expect(tablesWith(us, needle), `US database rows holding ${needle}`).toEqual([]);
    for (const needle of usMarks) expect(tablesWith(eu, needle), `EU database rows holding ${needle}`).toEqual([]);
    // Each region holds its own workspace's data: workflows, credentials, executions, node runs, audit.
    for (const [dump, m] of [
      [eu, mark('eu')],
      [us, mark('us')],
    ] as const) {
      expect(tablesWith(dump, m.workflow)).toEqual(expect.arrayContaining(['public.workflows', 'public.executions']));
      expect(tablesWith(dump, m.credential)).toContain('public.credentials');
      expect(tablesWith(dump, m.payload)).toEqual(expect.arrayContaining(['public.executions', 'public.node_runs']));
    }
    expect(tablesWith(eu, ws.eu)).toEqual(expect.arrayContaining(['public.audit_log', 'public.webhooks']));
    // The control database: accounts, sessions, workspace -> region and webhook path -> region
    // (the workflow's id and path are the same string here), no workspace data.
    for (const m of [mark('eu'), mark('us')]) {
      for (const needle of [m.payload, m.secret, m.credential])
        expect(tablesWith(control, needle), `control rows holding ${needle}`).toEqual([]);
      expect(tablesWith(control, m.workflow)).toEqual(['public.webhook_paths']);
    }
    expect(tablesWith(control, ws.eu).sort()).toEqual([
      'public.memberships',
      'public.webhook_paths',
      'public.workspace_regions',
      'public.workspaces',
    ]);

    // Blob stores: the large EU payload is in the EU region's directory only.
    const euFiles = filesText(join(work, 'regions', 'eu'));
    const usFiles = filesText(join(work, 'regions', 'us'));
    expect(euFiles).toContain(mark('eu').payload);
    expect(usFiles).toContain(mark('us').payload);
    expect(usFiles).not.toContain(mark('eu').payload);
    expect(euFiles).not.toContain(mark('us').payload);
  }, 120_000);

  it('refuses an EU workspace through a US-bound path and serves it through its own', async () => {
    const wrong = await t.call('GET', `/regions/us${api(`${ws.eu}/workflows`)}`, { token });
    expect(wrong.status).toBe(421);
    expect(wrong.body).toMatchObject({ code: 'wrong-region' });
    expect(wrong.body.detail).toContain('lives in region "eu"');
    const right = await t.call('GET', `/regions/eu${api(`${ws.eu}/workflows`)}`, { token });
    expect(right.status).toBe(200);
    expect(right.body.items.map((w: { id: string }) => w.id)).toContain(mark('eu').workflow);
    const hook = await t.call('POST', `/regions/us/hooks/${mark('eu').path}`, {
      body: {},
      headers: { 'x-token': mark('eu').secret },
    });
    expect(hook.status).toBe(404);
    expect((await t.call('GET', '/regions/mars/api/v1/regions', { token })).status).toBe(404);
    // Signed file-system links of a region are served through its region-bound path, from its buckets.
    const link = await t.call('POST', api(`${ws.eu}/exports`), { token, body: { workflowId: mark('eu').workflow } });
    expect(link.status, link.text).toBe(201);
    const { pathname, search } = new URL(link.body.url);
    expect(pathname.startsWith('/regions/eu/blobs/')).toBe(true);
    const download = await t.call('GET', pathname + search);
    expect(download.status).toBe(200);
    expect(download.text).toContain(mark('eu').payload);
    expect(filesText(join(work, 'regions', 'us'))).not.toContain(mark('eu').workflow);
    const elsewhere = await t.call('GET', pathname.replace('/regions/eu/', '/regions/us/') + search);
    expect(elsewhere.status).toBeGreaterThanOrEqual(400);
  });

  it('weft keys rotate re-wraps the data keys in every region database', async () => {
    const lines: string[] = [];
    const env = {
      WEFT_DATA_DIR: work,
      WEFT_DATABASE_URL: dbs.control.url,
      WEFT_REGIONS: `eu=${dbs.eu.url},us=${dbs.us.url}`,
      WEFT_LOG_LEVEL: 'silent',
      WEFT_SEED_EXAMPLES: 'false',
    };
    expect(await keysRotateCommand({ generate: true }, (l) => lines.push(l), env)).toBe(0);
    // The control database holds no credentials; each region holds its workspace's data key.
    expect(lines.filter((l) => l.includes('credential data key'))).toEqual([
      '  0 credential data keys',
      '  1 credential data key',
      '  1 credential data key',
    ]);
  });

  it('runs every migration on the control database and on each region database', async () => {
    for (const d of Object.values(dbs)) {
      const c = new pg.Client({ connectionString: d.url });
      await c.connect();
      const { rows } = await c.query<{ v: number }>('select max(version)::int as v from weft_migrations');
      await c.end();
      expect(rows[0]?.v).toBe(latest);
    }
  });
});
