import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceUrl } from '@weft/testing';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupCommand, restoreCommand } from '../cli/backup-commands.js';
import { loadConfig } from '../config/load-config.js';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { createTempDatabase } from '../testing/postgres-database.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { createBackup, restoreBackup } from './backup.js';
import { buildBlobStorage } from './build-blob.js';

const pg_ = await serviceUrl('pg');

const hook = (path: string) => ({
  id: 'load',
  name: 'load',
  nodes: [
    {
      id: 'hook',
      name: 'Hook',
      type: 'weft.webhook',
      parameters: { path, methods: ['POST'], responseMode: 'immediately' },
    },
    { id: 'tag', name: 'Tag', type: 'weft.set', parameters: { fields: [{ name: 'seen', value: 'yes' }] } },
  ],
  connections: [{ source: 'hook', target: 'tag' }],
});

async function idsIn(databaseUrl: string): Promise<Set<string>> {
  if (!databaseUrl.startsWith('postgres')) {
    const db = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      return new Set((db.prepare('select id from executions').all() as { id: string }[]).map((r) => r.id));
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    return new Set((await c.query<{ id: string }>('select id from executions')).rows.map((r) => r.id));
  } finally {
    await c.end();
  }
}

describe.each(sqliteAndPostgres(pg_))('weft backup and restore on %s', (name, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  const path = `backup-${Math.random().toString(36).slice(2, 8)}`;
  const work = mkdtempSync(join(tmpdir(), 'weft-backup-test-'));

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    t = await startTestHost({ ...o.env, WEFT_RATE_LIMIT_WORKSPACE: '1000000' });
    const token = await t.login('owner@example.com', 'owner-password');
    const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: hook(path) });
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows/load/activate`, { token })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
    rmSync(work, { recursive: true, force: true });
  });

  it.skipIf(skip)(
    'a backup taken under webhook load restores every execution acknowledged before it began',
    async () => {
      const rt = t.host.runtime;
      await rt.files.put('default/upload-e/f', new TextEncoder().encode('kept file'), { contentType: 'text/plain' });
      const acked: string[] = [];
      let stop = false;
      const sender = async () => {
        while (!stop) {
          const r = await fetch(`${t.base}/hooks/${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"n":1}',
          });
          if (r.status === 202) acked.push(((await r.json()) as { executionId: string }).executionId);
        }
      };
      const senders = Array.from({ length: 4 }, sender);
      while (acked.length < 40) await new Promise((r) => setImmediate(r));
      const before = [...acked];
      const out = join(work, `${name}.tar.gz`);
      const manifest = await createBackup(rt.config, rt.blob.storage, out);
      const after = acked.length;
      stop = true;
      await Promise.all(senders);
      expect(after).toBeGreaterThan(before.length); // the load kept going while the backup ran
      expect(manifest.counts.executions).toBeGreaterThanOrEqual(before.length);
      expect(manifest.blobs['user-uploads']).toBe(1);

      // Restore into an empty database and data directory.
      const target = mkdtempSync(join(work, 'restored-'));
      const db = name === 'SQLite' ? undefined : await createTempDatabase(pg_.url());
      try {
        const config = loadConfig({
          WEFT_DATA_DIR: target,
          WEFT_LOG_LEVEL: 'silent',
          ...(db ? { WEFT_DATABASE_URL: db.url } : {}),
        });
        const blob = await buildBlobStorage(config);
        const restored = await restoreBackup(config, blob.storage, out);
        expect(restored.counts).toEqual(manifest.counts);
        const ids = await idsIn(config.databaseUrl);
        expect(before.filter((id) => !ids.has(id))).toEqual([]);
        expect(new TextDecoder().decode(await blob.storage.bucket('user-uploads').get('default/upload-e/f'))).toBe(
          'kept file',
        );
        if (!db) await expect(restoreBackup(config, blob.storage, out)).rejects.toThrow(/exists: stop the host/);
        blob.close();
      } finally {
        await db?.drop();
      }
    },
  );

  it.skipIf(skip || name !== 'SQLite')(
    'weft backup stores into the backups bucket and weft restore --key brings it back',
    async () => {
      const lines: string[] = [];
      const env = { WEFT_DATA_DIR: t.host.runtime.config.dataDir, WEFT_LOG_LEVEL: 'silent' };
      expect(await backupCommand({}, (l) => lines.push(l), env)).toBe(0);
      const key = /as (manual\/\S+\.tar\.gz)$/.exec(lines[0] ?? '')?.[1] as string;
      expect(key).toBeDefined();
      // A second data directory reading the same backups bucket (a new machine with the same storage).
      const target = mkdtempSync(join(work, 'cli-'));
      const storageEnv = { WEFT_BLOB_URL: `file:${join(t.host.runtime.config.dataDir, 'buckets')}` };
      expect(
        await restoreCommand({ key }, (l) => lines.push(l), {
          WEFT_DATA_DIR: target,
          WEFT_LOG_LEVEL: 'silent',
          ...storageEnv,
        }),
      ).toBe(0);
      expect(lines[1]).toMatch(/^Restored and verified \d+ executions, 1 workflows/);
      await expect(restoreCommand({ key }, () => {}, { WEFT_DATA_DIR: target, ...storageEnv })).rejects.toThrow(
        /exists: stop the host/,
      );
    },
  );
});
