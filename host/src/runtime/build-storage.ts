import { dirname, join, resolve } from 'node:path';
import { type BlobStore, MemoryBlobStore } from '@weft/engine';
import { FileSystemBlobStore } from '@weft/fs';
import { createPostgresStorage, type PostgresExecutionNotices } from '@weft/postgres';
import { type HostDb, type SqlStorage, weftMigrations } from '@weft/sql';
import { createSqliteStorage } from '@weft/sqlite';
import type { HostConfig } from '../config/load-config.js';

/** What {@link buildStorage} returns: the storage, the blob store it writes large payloads to, and the host's handle. */
export interface BuiltStorage {
  storage: SqlStorage;
  /** Node-run payloads and files: beside the SQLite file, `./.weft/blobs` on Postgres, memory for `:memory:`. */
  blobs: BlobStore;
  /** The kysely handle and dialect the host's stores are built on. */
  h: HostDb;
  /** Postgres: ends and parks of executions told to every process (for queue mode without Redis). */
  notices?: PostgresExecutionNotices;
}

/**
 * Opens the database `databaseUrl` names (Postgres for `postgres://`, SQLite otherwise) with a
 * file-system blob store, and applies pending migrations unless `migrate` is false.
 *
 * @example
 * ```ts
 * const { storage, h } = await buildStorage({ databaseUrl: 'sqlite:./.weft/weft.db' }, { migrate: true });
 * await storage.close();
 * ```
 */
export async function buildStorage(
  config: Pick<HostConfig, 'databaseUrl' | 'databaseDirectUrl'>,
  options: { migrate: boolean; payloadBlobRoot?: string },
): Promise<BuiltStorage> {
  const isPg = config.databaseUrl.startsWith('postgres');
  const filename = config.databaseUrl.slice('sqlite:'.length);
  // A region's payloads go to its own directory (ADR 0014), whatever the database.
  const blobs = options.payloadBlobRoot
    ? new FileSystemBlobStore({ root: options.payloadBlobRoot })
    : isPg
      ? new FileSystemBlobStore()
      : sqliteBlobs(filename);
  const common = { blobs, migrations: weftMigrations, migrate: options.migrate };
  if (isPg) {
    const storage = await createPostgresStorage({
      connectionString: config.databaseUrl,
      ...(config.databaseDirectUrl ? { directConnectionString: config.databaseDirectUrl } : {}),
      ...common,
    });
    return { storage, blobs, h: { db: storage.db, dialect: storage.dialect }, notices: storage.notices };
  }
  const storage = await createSqliteStorage({ filename, ...common });
  return { storage, blobs, h: { db: storage.db, dialect: storage.dialect } };
}

function sqliteBlobs(filename: string): BlobStore {
  return filename === ':memory:'
    ? new MemoryBlobStore()
    : new FileSystemBlobStore({ root: join(dirname(resolve(filename)), 'blobs') });
}
