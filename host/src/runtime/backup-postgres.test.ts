import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serviceUrl } from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../testing/postgres-database.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { BACKUP_LOCK_KEY, scheduledBackupTick } from './backup-schedule.js';

const pgService = await serviceUrl('pg');
// The committed launcher npm links as `weft` (it loads the built CLI from dist/).
const bin = new URL('../../bin/weft.js', import.meta.url).pathname;

/** Runs the real `weft` CLI in a child process; answers its exit code and output. */
async function weft(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  const base = { ...process.env };
  delete base.WEFT_ISOLATE_FLAGS_RELAUNCHED;
  delete base.NODE_OPTIONS;
  try {
    const r = await promisify(execFile)(process.execPath, [bin, ...args], {
      env: { ...base, WEFT_LOG_LEVEL: 'warn', ...env },
    });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

async function executionIds(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ id: string }>('select id from executions order by id')).rows.map((r) => r.id);
  } finally {
    await c.end();
  }
}

describe.skipIf(pgService.skip)(`backups on ${pgService.title('Postgres')}`, () => {
  let t: TestHost;
  let db: Awaited<ReturnType<typeof createTempDatabase>>;
  const work = mkdtempSync(join(tmpdir(), 'weft-backup-pg-'));
  const path = `backup-pg-${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    db = await createTempDatabase(pgService.url());
    t = await startTestHost({ WEFT_DATABASE_URL: db.url, WEFT_DATA_DIR: join(work, 'source') });
    const token = await t.login('owner@example.com', 'owner-password');
    const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, {
      token,
      body: {
        id: 'hooked',
        name: 'hooked',
        nodes: [
          {
            id: 'hook',
            name: 'Hook',
            type: 'weft.webhook',
            parameters: { path, methods: ['POST'], responseMode: 'lastNode' },
          },
        ],
        connections: [],
      },
    });
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows/hooked/activate`, { token })).status).toBe(200);
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${t.base}/hooks/${path}`, { method: 'POST', body: `{"n":${i}}` });
      expect(r.status).toBe(200);
    }
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('weft backup and weft restore, as processes, bring every execution into another database', async () => {
    const file = join(work, 'pg.tar.gz');
    const source = { WEFT_DATABASE_URL: db.url, WEFT_DATA_DIR: join(work, 'source') };
    const backup = await weft(['backup', '--out', file], source);
    expect(backup).toMatchObject({ code: 0 });
    expect(backup.out).toMatch(/^Backed up 5 executions, 1 workflows, \d+ blobs of the database to /);

    const target = await createTempDatabase(pgService.url());
    try {
      const env = { WEFT_DATABASE_URL: target.url, WEFT_DATA_DIR: join(work, 'target') };
      const restored = await weft(['restore', file], env);
      expect(restored.out).toMatch(/^Restored and verified 5 executions, 1 workflows/);
      expect(restored.code).toBe(0);
      expect(await executionIds(target.url)).toEqual(await executionIds(db.url));

      // Not a backup: named, exit 1, the database untouched.
      const junk = join(work, 'junk.tar.gz');
      writeFileSync(junk, 'not a backup');
      const bad = await weft(['restore', junk], env);
      expect(bad.code).toBe(1);
      expect(bad.out).toMatch(/^weft: Restore failed: /);
      expect((await executionIds(target.url)).length).toBe(5);
    } finally {
      await target.drop();
    }
    // Three CLI processes, each starting Node and opening the database: slow on a loaded machine.
  }, 180_000);

  it('only one process takes a scheduled backup: the advisory lock and the not-due check', async () => {
    const config = { ...t.host.runtime.config, blob: { ...t.host.runtime.config.blob, backupIntervalHours: 24 } };
    const storage = t.host.runtime.blob.storage;

    // Another process (its own pool) holds the lock: this one skips.
    const other = new pg.Pool({ connectionString: db.url, max: 1 });
    const held = await other.connect();
    await held.query('select pg_advisory_lock($1)', [BACKUP_LOCK_KEY.toString()]);
    expect(await scheduledBackupTick(config, storage)).toEqual({ taken: false, reason: 'locked' });
    await held.query('select pg_advisory_unlock($1)', [BACKUP_LOCK_KEY.toString()]);
    held.release();
    await other.end();

    // Two processes whose timers fire together: one backup, the other is locked out or finds it done.
    const both = await Promise.all([scheduledBackupTick(config, storage), scheduledBackupTick(config, storage)]);
    expect(both.filter((o) => o.taken)).toHaveLength(1);
    expect(both.find((o) => !o.taken)).toMatchObject({ taken: false });
    expect(await scheduledBackupTick(config, storage)).toEqual({ taken: false, reason: 'not-due' });
    const listed = await storage.bucket('backups').list({ prefix: 'scheduled/' });
    expect(listed.items).toHaveLength(1);

    // A day later the next one is due; keep = 1 deletes the first.
    const later = () => Date.now() + 24 * 3_600_000;
    const next = await scheduledBackupTick({ ...config, blob: { ...config.blob, backupKeep: 1 } }, storage, later);
    expect(next).toMatchObject({ taken: true, deleted: 1 });
  });
});
