import { randomBytes } from 'node:crypto';
import { MemoryBlobStore } from '@weft/engine';
import pg from 'pg';
import { createPostgresStorage, type PostgresStorage, type PostgresStorageOptions } from './postgres-storage.js';

/**
 * Test helper: Weft storage in a fresh schema with a random name on the server at `url`;
 * `cleanup` closes everything and drops the schema (blobs are kept in memory). Pool connections carry the schema name as
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
  const storage = await createPostgresStorage({
    connectionString: withName,
    schema,
    poolSize: 6,
    blobs: new MemoryBlobStore(),
    ...options,
  });
  const peers: PostgresStorage[] = [];
  return {
    storage,
    connectPeer: async () => {
      const peer = await createPostgresStorage({
        connectionString: withName,
        schema,
        poolSize: 6,
        ...(options.directConnectionString ? { directConnectionString: options.directConnectionString } : {}),
      });
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
      }
    },
  };
}
