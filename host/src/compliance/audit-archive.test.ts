import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditChain } from '@weft/compliance';
import { SqlAuditStore } from '@weft/sql';
import { serviceUrl } from '@weft/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditArchiveCommand } from '../cli/audit-retention-commands.js';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { auditArchives, checkArchive, rotateAuditKey } from './audit-retention.js';
import { Ed25519AuditSigner, loadAuditSigner, RETIRED_KEYS_FILE } from './ed25519-audit-signer.js';
import { hostAudit } from './host-audit.js';

const pg = await serviceUrl('pg');

describe.each(sqliteAndPostgres(pg))('audit archive, prune and key rotation on %s', (_title, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let env: Record<string, string>;
  let token: string;
  let ws: string;
  const api = (path: string) => `/api/v1/workspaces/${ws}${path}`;
  const rename = async (n: number) => {
    for (let i = 0; i < n; i++) await t.call('PATCH', api(''), { token, body: { name: `Name ${i}` } });
    await hostAudit(t.host.runtime).settled();
  };

  beforeAll(async () => {
    if (skip) return;
    const backend = await open();
    drop = backend.drop;
    t = await startTestHost(backend.env);
    env = { ...backend.env, WEFT_DATA_DIR: t.host.runtime.config.dataDir };
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    await rename(10);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)('archives a range to a signed bundle, prunes it, and the rest still verifies', async () => {
    const { db } = t.host.runtime.h;
    // Before any archive the database refuses to delete entries.
    await expect(sql`delete from audit_log where position = 1`.execute(db)).rejects.toThrow(/append-only/);
    const res = await t.call('POST', api('/audit-log/archive'), { token, body: { throughPosition: 6 } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ fromPosition: 1, throughPosition: 6, pruned: 6 });
    expect(res.body.location).toMatch(/^blob:compliance-docs\/audit-archives\//);
    const left = await db.selectFrom('audit_log').select('position').where('workspace_id', '=', ws).execute();
    expect(Math.min(...left.map((r) => Number(r.position)))).toBe(7);
    const v = await t.call('GET', api('/audit-log/verify'), { token });
    expect(v.body, JSON.stringify(v.body.broken)).toMatchObject({ ok: true, archivedThrough: 6 });
    expect(v.body.entries).toBeGreaterThan(10);
    // Only archived entries may go: the next one is still protected by the database.
    await expect(sql`delete from audit_log where workspace_id = ${ws} and position = 7`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    const listed = await t.call('GET', api('/audit-log/archives'), { token });
    expect(listed.body.items).toEqual([expect.objectContaining({ throughPosition: 6, problem: null })]);

    // A second archive continues the first; a file target works too, and the bundle checks out.
    const file = join(t.host.runtime.config.dataDir, 'audit-7-9.json');
    const lines: string[] = [];
    expect(await auditArchiveCommand({ workspace: ws, through: '9', out: file }, (l) => lines.push(l), env)).toBe(0);
    expect(lines[0]).toContain('archived entries 7..9');
    const [first, second] = await auditArchives(t.host.runtime, ws);
    expect(second?.location).toBe(`file:${file}`);
    expect(await checkArchive(t.host.runtime, second as NonNullable<typeof second>)).toBeUndefined();
    expect(JSON.parse(readFileSync(file, 'utf8')).prevHash).toBe(first?.throughHash);
    expect((await t.call('GET', api('/audit-log/verify'), { token })).body).toMatchObject({
      ok: true,
      archivedThrough: 9,
    });
    const nothing = await t.call('POST', api('/audit-log/archive'), { token, body: { throughPosition: 3 } });
    expect(nothing.status).toBe(409);
    const both = await t.call('POST', api('/audit-log/archive'), { token, body: {} });
    expect(both.status).toBe(400);
  });

  it.skipIf(skip)('detects a forged archive statement', async () => {
    const store = new SqlAuditStore(t.host.runtime.h);
    const head = await store.head(ws);
    await store.addArchive({
      workspaceId: ws,
      fromPosition: 10,
      throughPosition: head.position,
      throughHash: head.hash,
      location: 'file:/nowhere',
      sha256: '0'.repeat(64),
      at: Date.now(),
      keyId: 'forged',
      signature: 'AAAA',
    });
    const v = await t.call('GET', api('/audit-log/verify'), { token });
    expect(v.body).toMatchObject({ ok: false, broken: { reason: 'archive-signature', position: 10 } });
    // The forged statement also opened those rows to deletion, which verification names.
    expect(v.body.broken.message).toContain('bad signature (key forged)');
  });
});

describe.each(sqliteAndPostgres(pg))('audit key rotation on %s', (_title, skip, open) => {
  it.skipIf(skip)('checkpoints signed with a retired key verify after rotation; without it they do not', async () => {
    const backend = await open();
    const t = await startTestHost(backend.env);
    try {
      const token = await t.login('owner@example.com', 'owner-password');
      const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
      for (let i = 0; i < 3; i++) await t.call('PATCH', `/api/v1/workspaces/${ws}`, { token, body: { name: `N${i}` } });
      const rt = t.host.runtime;
      const { from, to, checkpoints } = await rotateAuditKey(rt, {});
      expect(from).not.toBe(to);
      expect(checkpoints).toBeGreaterThan(0);
      const dir = rt.config.dataDir;
      const rotated = loadAuditSigner(dir, {});
      expect(rotated.keyId).toBe(to);
      expect(rotated.verifiesKeyIds).toEqual([to, from]);
      const store = new SqlAuditStore(rt.h);
      const ok = await verifyAuditChain(store, ws, rotated);
      expect(ok).toMatchObject({ ok: true });
      expect(ok.checkpoints).toBeGreaterThan(0);
      const withoutRetired = Ed25519AuditSigner.fromPem(readFileSync(join(dir, 'audit-signing.key'), 'utf8'));
      expect((await verifyAuditChain(store, ws, withoutRetired)).broken).toMatchObject({
        reason: 'checkpoint-signature',
        message: expect.stringContaining(`key ${from}`),
      });
      expect(readFileSync(join(dir, RETIRED_KEYS_FILE), 'utf8')).toContain('BEGIN PUBLIC KEY');
      await expect(rotateAuditKey(rt, { WEFT_AUDIT_SIGNING_KEY: 'x' })).rejects.toThrow('WEFT_AUDIT_RETIRED_KEYS');
    } finally {
      await t.close();
      await backend.drop?.();
    }
  });
});
