import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleExecution } from '@weft/testing';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteStorage } from './sqlite-storage.js';

describe('sqlite write locking', () => {
  it('fails a batch with the database named when another connection holds the lock too long, then recovers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-lock-'));
    const filename = join(dir, 'weft.db');
    const storage = await createSqliteStorage({ filename, busyTimeoutMs: 50 });
    const other = new Database(filename);
    try {
      other.exec('begin immediate');
      const rec = sampleExecution();
      await expect(storage.executions.create(rec)).rejects.toThrow(
        /SQLite group commit of 1 write\(s\) to .*weft\.db failed: database is locked/,
      );
      other.exec('rollback');
      expect((await storage.executions.create(rec)).created).toBe(true);
      await storage.executions.update(rec.id, { status: 'succeeded' });
      expect((await storage.executions.get('ws-a', rec.id))?.status).toBe('succeeded');
    } finally {
      other.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
