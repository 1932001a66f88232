import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Migration, weftMigrations } from '@weft/sql';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage } from './sqlite-storage.js';

const tables = (file: string) => {
  const d = new Database(file, { readonly: true });
  try {
    return (
      d.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]
    ).map((r) => r.name);
  } finally {
    d.close();
  }
};

const latest = Math.max(...weftMigrations.map((m) => m.version));

const failing: Migration = {
  version: 1000,
  name: 'deliberately broken',
  async up(db) {
    await db.schema.createTable('half_done').addColumn('id', 'text').execute();
    await db.schema.alterTable('executions').addColumn('extra', 'text').execute();
    throw new Error('boom in migration 1000');
  },
};

describe('sqlite migrations', () => {
  const dirs: string[] = [];
  const tempFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-migrate-'));
    dirs.push(dir);
    return join(dir, 'weft.db');
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('applies migrations once and reports the version', async () => {
    const file = tempFile();
    const storage = await createSqliteStorage({ filename: file });
    expect(await storage.migrate()).toEqual({ applied: [], version: latest });
    await storage.close();
    expect(tables(file)).toEqual(
      expect.arrayContaining(['executions', 'node_runs', 'queue_jobs', 'weft_migrations', 'audit_log']),
    );
    const pragmas = new Database(file, { readonly: true });
    expect(pragmas.pragma('auto_vacuum', { simple: true })).toBe(2);
    expect(pragmas.pragma('journal_mode', { simple: true })).toBe('wal');
    pragmas.close();
  });

  it('leaves a fresh database empty when a migration fails', async () => {
    const file = tempFile();
    await expect(createSqliteStorage({ filename: file, migrations: [...weftMigrations, failing] })).rejects.toThrow(
      /migration 1000 \(deliberately broken\) failed.*boom in migration 1000/,
    );
    expect(tables(file)).toEqual([]);
  });

  it('leaves an existing database at its version when a later migration fails', async () => {
    const file = tempFile();
    const storage = await createSqliteStorage({ filename: file });
    await storage.workflows.save('ws', { id: 'wf', name: 'kept', nodes: [], connections: [] });
    await storage.close();
    const before = tables(file);
    await expect(createSqliteStorage({ filename: file, migrations: [...weftMigrations, failing] })).rejects.toThrow(
      /boom/,
    );
    expect(tables(file)).toEqual(before);
    const again = await createSqliteStorage({ filename: file });
    expect((await again.workflows.get('ws', 'wf'))?.workflow.name).toBe('kept');
    const cols = again.database.prepare('pragma table_info(executions)').all() as { name: string }[];
    expect(cols.map((c) => c.name)).not.toContain('extra');
    expect(await again.db.selectFrom('weft_migrations').select('version').execute()).toEqual(
      weftMigrations.map((m) => ({ version: m.version })),
    );
    await again.close();
  });
});
