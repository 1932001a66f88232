import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceUrl } from '@weft/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { exportLinks, sweepExpiredExports } from './gdpr-export.js';
import { hostAudit } from './host-audit.js';
import { subjectSealing } from './subject-sealing.js';

const pg = await serviceUrl('pg');

const flow = {
  id: 'signup',
  name: 'Sign-up',
  nodes: [
    { id: 'manual', name: 'Manual', type: 'weft.manualTrigger', parameters: {} },
    { id: 'set', name: 'Set', type: 'weft.set', parameters: { fields: [{ name: 'welcomed', value: 'yes' }] } },
  ],
  connections: [{ source: 'manual', target: 'set' }],
};
const ada = 'ada.lovelace@example.org';
const adaNote = 'analytical-engine-notes-1843';
const plainMarker = 'no-subject-plain-marker-77';

describe.each(sqliteAndPostgres(pg))('GDPR export and crypto-shredding erasure on %s', (title, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let token: string;
  let ws: string;
  const api = (path: string) => `/api/v1/workspaces/${ws}${path}`;
  /** Fetches an export link as its recipient would: no token. */
  const download = async (url: string) => {
    expect(url.startsWith(`${t.host.runtime.config.publicUrl}/api/v1/`)).toBe(true);
    const u = new URL(url);
    return t.call('GET', `${u.pathname}${u.search}`);
  };
  const run = async (json: Record<string, unknown>) => {
    const r = await t.call('POST', api('/workflows/signup/run'), { token, body: { input: [{ json }], wait: true } });
    expect(r.status, r.text).toBe(200);
    return r.body.executionId as string;
  };

  /** Every byte of the database's files (SQLite file and WAL; Postgres relation files after a checkpoint). */
  async function rawDatabase(): Promise<Buffer> {
    const { db } = t.host.runtime.h;
    if (title === 'SQLite') {
      const file = join(t.host.runtime.config.dataDir, 'weft.db');
      return Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
    }
    await sql`checkpoint`.execute(db);
    const { rows } = await sql<{ bytes: Buffer }>`
      select pg_read_binary_file(pg_relation_filepath(c.oid)) as bytes from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('public', 'pg_toast') and c.relkind in ('r', 't') and pg_relation_filepath(c.oid) is not null
        and pg_relation_size(c.oid) > 0`.execute(db);
    return Buffer.concat(rows.map((r) => r.bytes));
  }

  beforeAll(async () => {
    if (skip) return;
    const backend = await open();
    drop = backend.drop;
    t = await startTestHost(backend.env);
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    expect((await t.call('POST', api('/workflows'), { token, body: flow })).status).toBe(201);
    const set = await t.call('PUT', api('/compliance-settings'), {
      token,
      body: { scanBlockSeverity: null, subjectPaths: ['email', 'customer.email'] },
    });
    expect(set.status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)('seals payloads that name a subject, exports them opened, and shreds them on erasure', async () => {
    const adaRun = await run({ customer: { email: 'Ada.Lovelace@Example.org', note: adaNote } });
    const graceRun = await run({ email: 'grace@example.org', note: 'cobol' });
    await run({ note: plainMarker });

    const before = await t.call('GET', api(`/executions/${adaRun}`), { token });
    expect(before.body.input.main[0].json.customer.note).toBe(adaNote);
    expect(before.body.nodeRuns.at(-1).output.main[0].json).toMatchObject({ welcomed: 'yes' });
    const listed = await t.call('GET', api('/executions?limit=10'), { token });
    expect(JSON.stringify(listed.body)).toContain(adaNote);
    // Sealed at rest: the raw files hold the unsealed execution's text but not the subjects'.
    let raw = await rawDatabase();
    expect(raw.includes(plainMarker)).toBe(true);
    expect(raw.includes(adaNote)).toBe(false);
    expect(raw.includes('ada.lovelace')).toBe(false);
    expect(raw.includes('cobol')).toBe(false);

    const exported = await t.call('POST', api('/data-subjects/export'), {
      token,
      body: { subject: ` ${ada.toUpperCase()}` },
    });
    expect(exported.status, exported.text).toBe(201);
    expect(exported.body).toMatchObject({ executions: 1, unsealedMentions: 0 });
    expect(exported.text.toLowerCase()).not.toContain('ada.lovelace');
    const bundle = await download(exported.body.url);
    expect(bundle.status, bundle.text).toBe(200);
    expect(bundle.body).toMatchObject({ format: 'weft-data-subject-export/1', subject: ada, account: null });
    expect(bundle.body.executions.map((e: { id: string }) => e.id)).toEqual([adaRun]);
    expect(bundle.body.executions[0].nodeRuns.length).toBeGreaterThan(0);
    expect(bundle.text).toContain(adaNote);
    expect(bundle.text).not.toContain('cobol');
    expect(Buffer.byteLength(bundle.text)).toBe(exported.body.size);
    // The link is the only credential, bound to its request and expiry.
    const tampered = new URL(exported.body.url);
    tampered.searchParams.set('expires', String(Number(tampered.searchParams.get('expires')) + 1000));
    expect((await download(tampered.href)).status).toBe(403);
    const expired = exportLinks(t.host.runtime).url({
      workspaceId: ws,
      requestId: exported.body.requestId,
      expiresAt: Date.now() - 1,
    });
    const refused = await download(expired);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/expired/);
    const listedExport = (await t.call('GET', api('/data-subject-requests'), { token })).body.items[0];
    expect(listedExport.bundle).toMatchObject({
      state: 'available',
      url: exported.body.url,
      expiresAt: exported.body.expiresAt,
    });

    const adaKey = (await subjectSealing(t.host.runtime.h).keys.find(ws, ada))?.wrappedKey ?? 'missing';
    expect(raw.includes(adaKey)).toBe(true);

    const erased = await t.call('POST', api('/data-subjects/erase'), { token, body: { subject: ada } });
    expect(erased.status, erased.text).toBe(200);
    expect(erased.body).toMatchObject({
      keyDestroyed: true,
      executionsShredded: 1,
      unsealedMentions: [],
      exportBundlesDeleted: 1,
    });
    const afterErasure = await download(exported.body.url);
    expect(afterErasure.status).toBe(410);
    expect(afterErasure.text).not.toContain(adaNote);

    const after = await t.call('GET', api(`/executions/${adaRun}`), { token });
    expect(after.status).toBe(200);
    expect(after.body.input).toEqual({ main: [{ json: { $erased: true } }] });
    expect(after.body.nodeRuns.every((r: { output?: unknown }) => JSON.stringify(r.output).includes('$erased'))).toBe(
      true,
    );
    for (const text of [after.text, (await t.call('GET', api('/executions?limit=10'), { token })).text]) {
      expect(text).not.toContain(adaNote);
      expect(text.toLowerCase()).not.toContain('ada.lovelace');
    }
    expect((await t.call('GET', api(`/executions/${graceRun}`), { token })).body.input.main[0].json.note).toBe('cobol');
    const again = await t.call('POST', api('/data-subjects/export'), { token, body: { subject: ada } });
    expect(again.body.executions).toBe(0);
    expect((await download(again.body.url)).body.executions).toEqual([]);

    // The key's bytes left the database files; the sealed payloads are still there but unreadable.
    raw = await rawDatabase();
    expect(raw.includes(adaKey)).toBe(false);
    expect(raw.includes(adaNote)).toBe(false);
    expect(raw.includes(plainMarker)).toBe(true);

    await hostAudit(t.host.runtime).settled();
    expect((await t.call('GET', api('/audit-log/verify'), { token })).body.ok).toBe(true);
    const log = await t.call('GET', api('/audit-log?action=data-subject.&limit=50'), { token });
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['data-subject.erased', 'data-subject.erase', 'data-subject.export']),
    );
    // Every use of a signed link is recorded: the download, the expired link, the erased bundle.
    const downloads = await t.call('GET', api('/audit-log?action=data-subject.export-download&limit=50'), { token });
    expect(
      downloads.body.items
        .filter((e: { resource: { id: string } }) => e.resource.id === exported.body.requestId)
        .map((e: { outcome: string; changes: unknown }) => [e.outcome, e.changes])
        .reverse(),
    ).toEqual([
      ['success', null],
      ['denied', { reason: 'expired' }],
      ['denied', { reason: 'erased' }],
    ]);
    expect(log.text.toLowerCase()).not.toContain('ada.lovelace');
    const requests = await t.call('GET', api('/data-subject-requests'), { token });
    expect(requests.body.items.map((r: { kind: string }) => r.kind)).toEqual(['export', 'erasure', 'export']);
    expect(requests.body.items[2].bundle).toMatchObject({ state: 'erased', url: null });
    expect(requests.body.items[0].bundle).toMatchObject({ state: 'available' });
    const erasure = requests.body.items[1];
    expect(erasure.dueAt - erasure.receivedAt).toBe(30 * 86_400_000);
    expect(erasure.result).toMatchObject({ keyDestroyed: true, executionsShredded: 1 });
    expect(requests.text.toLowerCase()).not.toContain('ada.lovelace');
  });

  it.skipIf(skip)(
    'lists and deletes plain-text mentions on request, and refuses bad input naming the field',
    async () => {
      const plain = await run({ note: 'contact: linus@example.org' });
      const res = await t.call('POST', api('/data-subjects/erase'), {
        token,
        body: { subject: 'linus@example.org', deleteUnsealed: true },
      });
      expect(res.body).toMatchObject({ keyDestroyed: false, unsealedMentions: [plain], unsealedDeleted: true });
      expect((await t.call('GET', api(`/executions/${plain}`), { token })).status).toBe(404);
      const bad = await t.call('POST', api('/data-subjects/erase'), { token, body: { subject: '' } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].path).toContain('subject');
    },
  );
  it.skipIf(skip)('deletes an export bundle from blob storage once its link has expired', async () => {
    const bucket = t.host.runtime.blob.storage.bucket('compliance-docs');
    const make = async (subject: string, linkHours: number) => {
      const r = await t.call('POST', api('/data-subjects/export'), { token, body: { subject, linkHours } });
      expect(r.status, r.text).toBe(201);
      const key = `gdpr-exports/${ws}/${r.body.requestId}.json`;
      expect(await bucket.head(key)).toBeDefined();
      return { id: r.body.requestId as string, key, expiresAt: r.body.expiresAt as number };
    };
    const short = await make('sweep-short@example.org', 1);
    const long = await make('sweep-long@example.org', 48);
    const stateOf = async (id: string) => {
      const listed = await t.call('GET', api('/data-subject-requests'), { token });
      return listed.body.items.find((r: { id: string }) => r.id === id).bundle.state as string;
    };

    // Nothing has expired yet: the sweep keeps both.
    expect(await sweepExpiredExports(t.host.runtime)).toBe(0);
    expect(await bucket.head(short.key)).toBeDefined();

    const later = short.expiresAt + 1;
    expect(await sweepExpiredExports(t.host.runtime, later)).toBe(1);
    expect(await bucket.head(short.key)).toBeUndefined();
    expect(await bucket.head(long.key)).toBeDefined();
    expect(await stateOf(short.id)).toBe('expired');
    expect(await stateOf(long.id)).toBe('available');
    // Already deleted: a second sweep finds nothing to do.
    expect(await sweepExpiredExports(t.host.runtime, later)).toBe(0);
  });
});
