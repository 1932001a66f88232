import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSystemBlobStore } from '@weft/fs';
import pg from 'pg';
import { createPostgresStorage, type PostgresStorage, type PostgresStorageOptions } from './create-postgres-storage.js';

/**
 * Test helper: Weft storage in a fresh schema with a random name on the server at `url`;
 * `cleanup` closes everything, drops the schema and deletes the blobs (kept in a temporary directory). Pool connections carry the schema name as
 * their `application_name`, the listener `weft-listener:weft_jobs_<schema>`.
 *
 * @example
 * ```ts
 * const { storage, cleanup } = await openTestStorage(pg.url());
 * ```
 */
export async function openTestStorage(
  url: string,
  options: Partial<Omit<PostgresStorageOptions, 'pool' | 'connectionString'>> = {},
): Promise<{
  storage: PostgresStorage;
  cleanup: () => Promise<void>;
  connectPeer: () => Promise<PostgresStorage>;
}> {
  const schema = `weft_test_${randomBytes(6).toString('hex')}`;
  const withName = `${url}${url.includes('?') ? '&' : '?'}application_name=${schema}`;
  const blobDir = mkdtempSync(join(tmpdir(), 'weft-pg-blobs-'));
  const storage = await createPostgresStorage({
    connectionString: withName,
    schema,
    poolSize: 6,
    blobs: new FileSystemBlobStore({ root: blobDir }),
    ...options,
  });
  const peers: PostgresStorage[] = [];
  return {
    storage,
    connectPeer: async () => {
      const peer = await createPostgresStorage({ connectionString: withName, schema, poolSize: 6 });
      peers.push(peer);
      return peer;
    },
    cleanup: async () => {
      for (const p of peers) await p.close();
      await storage.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`);
      } finally {
        await admin.end();
        rmSync(blobDir, { recursive: true, force: true });
      }
    },
  };
}
