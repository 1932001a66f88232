import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { promisify } from 'node:util';
import { createGunzip, createGzip } from 'node:zlib';
import { BLOB_BUCKET_ROLES, type BlobBucketRole, type BlobStorage, type BlobStore } from '@weft/engine';
import { FileSystemBlobStore } from '@weft/fs';
import Database from 'better-sqlite3';
import tar from 'tar-stream';
import type { HostConfig } from '../config/load-config.js';
import { sessionDatabaseUrl } from '../config/scale-out-settings.js';

const run = promisify(execFile);

/** What a backup holds, written first into the archive as `manifest.json`. */
export interface BackupManifest {
  weftBackup: 1;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  /** Rows of the main tables in the backed-up database, checked again after a restore. */
  counts: { executions: number; workflows: number; nodeRuns: number };
  /** Blobs per bucket (`payloads`: node-run payloads beside the SQLite file). */
  blobs: Record<string, number>;
}

/** Buckets a backup copies: all but the backups bucket itself. */
const COPIED: BlobBucketRole[] = BLOB_BUCKET_ROLES.filter((r) => r !== 'backups');

async function countsIn(count: (sql: string) => Promise<number>): Promise<BackupManifest['counts']> {
  const n = (t: string) => count(`select count(*) as n from ${t}`);
  return { executions: await n('executions'), workflows: await n('workflows'), nodeRuns: await n('node_runs') };
}

const sqliteCounts = (db: Database.Database) =>
  countsIn(async (sql) => Number((db.prepare(sql).get() as { n: number }).n));

async function postgresCounts(url: string): Promise<BackupManifest['counts']> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await countsIn((sql) => client.query<{ n: string }>(sql).then((r) => Number(r.rows[0]?.n ?? 0)));
  } finally {
    await client.end();
  }
}

/** The SQLite database file of a config, or undefined on Postgres. */
function sqliteFile(config: Pick<HostConfig, 'databaseUrl'>): string | undefined {
  return config.databaseUrl.startsWith('postgres') ? undefined : resolve(config.databaseUrl.slice('sqlite:'.length));
}

async function addFile(pack: tar.Pack, name: string, path: string): Promise<void> {
  const { size } = await stat(path);
  const entry = pack.entry({ name, size });
  await pipeline(createReadStream(path), entry);
}

/**
 * Writes a consistent backup of the host's data as a gzipped tar to `out` (a file path): the
 * database — SQLite through its online backup API (a snapshot taken in one step from a separate
 * read connection, so writers carry on), Postgres through `pg_dump --format=custom` — and every
 * blob of the workflow-exports, compliance-docs and user-uploads buckets plus the node-run
 * payloads beside a SQLite file. Everything committed before the call is in the backup.
 *
 * @example
 * ```ts
 * const manifest = await createBackup(config, blob.storage, './weft-2026-12-07.tar.gz');
 * ```
 */
export async function createBackup(
  config: Pick<HostConfig, 'databaseUrl' | 'databaseDirectUrl'>,
  storage: BlobStorage,
  out: string,
): Promise<BackupManifest> {
  const work = await mkdtemp(join(tmpdir(), 'weft-backup-'));
  try {
    const file = sqliteFile(config);
    let dbEntry: { name: string; path: string };
    let counts: BackupManifest['counts'];
    if (file) {
      const source = new Database(file, { readonly: true, fileMustExist: true });
      const copy = join(work, 'database.sqlite');
      try {
        // All pages in one step: one read snapshot, never restarted by the server's writes.
        await source.backup(copy, { progress: () => 2_000_000_000 });
      } finally {
        source.close();
      }
      const snapshot = new Database(copy, { readonly: true });
      try {
        counts = await sqliteCounts(snapshot);
      } finally {
        snapshot.close();
      }
      dbEntry = { name: 'database.sqlite', path: copy };
    } else {
      const dump = join(work, 'database.pgdump');
      // One snapshot for the dump and the counts: pg_dump joins the snapshot this transaction exports.
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: sessionDatabaseUrl(config) });
      await client.connect();
      try {
        await client.query('begin isolation level repeatable read read only');
        const snapshot = (await client.query<{ s: string }>('select pg_export_snapshot() as s')).rows[0]?.s as string;
        counts = await countsIn((sql) => client.query<{ n: string }>(sql).then((r) => Number(r.rows[0]?.n ?? 0)));
        await pgTool('pg_dump', [
          '--format=custom',
          '--no-owner',
          '--no-privileges',
          `--snapshot=${snapshot}`,
          `--file=${dump}`,
          sessionDatabaseUrl(config),
        ]);
        await client.query('commit');
      } finally {
        await client.end();
      }
      dbEntry = { name: 'database.pgdump', path: dump };
    }
    const sources: [string, BlobStore][] = COPIED.map((r) => [r, storage.bucket(r)]);
    const payloads = file && join(dirname(file), 'blobs');
    if (payloads && existsSync(payloads)) sources.push(['payloads', new FileSystemBlobStore({ root: payloads })]);
    const manifest: BackupManifest = {
      weftBackup: 1,
      createdAt: new Date().toISOString(),
      dialect: file ? 'sqlite' : 'postgres',
      counts,
      blobs: {},
    };
    // Listed first, so the archive opens with the manifest and the blobs' types and metadata.
    const listed: { store: string; key: string; contentType: string; metadata: Record<string, string> }[] = [];
    for (const [name, store] of sources) {
      let n = 0;
      let cursor: string | undefined;
      do {
        const page = await store.list({ limit: 1000, ...(cursor ? { cursor } : {}) });
        for (const i of page.items)
          listed.push({ store: name, key: i.key, contentType: i.contentType, metadata: i.metadata });
        n += page.items.length;
        cursor = page.cursor;
      } while (cursor);
      manifest.blobs[name] = n;
    }
    const pack = tar.pack();
    const written = pipeline(pack, createGzip(), createWriteStream(out, { mode: 0o600 }));
    pack.entry({ name: 'manifest.json' }, JSON.stringify(manifest, null, 2));
    pack.entry({ name: 'blobs.jsonl' }, listed.map((b) => JSON.stringify(b)).join('\n'));
    await addFile(pack, dbEntry.name, dbEntry.path);
    const byName = new Map(sources);
    for (const b of listed) {
      const { info, body } = await (byName.get(b.store) as BlobStore).getStream(b.key);
      const entry = pack.entry({ name: `blobs/${b.store}/${b.key}`, size: info.size });
      await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), entry);
    }
    pack.finalize();
    await written;
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function pgTool(tool: 'pg_dump' | 'pg_restore', args: string[]): Promise<void> {
  try {
    await run(tool, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error(`${tool} is not installed: install the PostgreSQL client tools to back up or restore Postgres`);
    throw new Error(`${tool} failed: ${(e.stderr ?? e.message).trim().split('\n').slice(-3).join(' ')}`);
  }
}

/**
 * Restores a backup made by {@link createBackup} into the database and blob storage `config`
 * names, then verifies it by reading the restored database back: SQLite's integrity check and the
 * row counts recorded in the manifest. SQLite: the database file must not exist (stop the host
 * and move it away first) unless `force`; Postgres: the target database is cleaned and restored
 * with `pg_restore`.
 *
 * @example
 * ```ts
 * const manifest = await restoreBackup(config, blob.storage, './weft-2026-12-07.tar.gz');
 * ```
 */
export async function restoreBackup(
  config: Pick<HostConfig, 'databaseUrl' | 'databaseDirectUrl'>,
  storage: BlobStorage,
  from: string,
  options: { force?: boolean } = {},
): Promise<BackupManifest> {
  const work = await mkdtemp(join(tmpdir(), 'weft-restore-'));
  try {
    const file = sqliteFile(config);
    if (file && existsSync(file) && !options.force) {
      throw new Error(`${file} exists: stop the host and move it away, or restore with --force to replace it`);
    }
    const stores = new Map<string, BlobStore>(COPIED.map((r) => [r, storage.bucket(r)]));
    if (file) stores.set('payloads', new FileSystemBlobStore({ root: join(dirname(file), 'blobs') }));
    let manifest: BackupManifest | undefined;
    let blobMeta = new Map<string, { contentType: string; metadata: Record<string, string> }>();
    const extract = tar.extract();
    // A file that is no gzipped tar fails the pipeline, which ends the loop with the same error.
    const piped = pipeline(createReadStream(from), createGunzip(), extract).then(
      () => undefined,
      (err: Error) => err,
    );
    const notBackup = (err: Error) => new Error(`${from} is not a Weft backup: ${err.message}`);
    try {
      await readEntries();
    } catch (err) {
      extract.destroy();
      const cause = await piped;
      throw cause && (cause === err || (err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE')
        ? notBackup(cause)
        : err;
    }
    const cause = await piped;
    if (cause) throw notBackup(cause);
    async function readEntries(): Promise<void> {
      for await (const entry of extract) {
        const name = entry.header.name;
        if (name === 'database.sqlite' || name === 'database.pgdump') {
          await pipeline(entry, createWriteStream(join(work, name), { mode: 0o600 }));
        } else if (name.startsWith('blobs/')) {
          const [, store, ...rest] = name.split('/');
          const target = stores.get(store as string);
          if (!target) throw new Error(`Backup entry ${name}: unknown blob store ${store}`);
          const key = rest.join('/');
          const meta = blobMeta.get(`${store}\n${key}`);
          await target.put(
            key,
            entry as unknown as AsyncIterable<Uint8Array>,
            meta ? { contentType: meta.contentType, metadata: meta.metadata } : {},
          );
        } else {
          const chunks: Buffer[] = [];
          for await (const c of entry) chunks.push(c as Buffer);
          const text = Buffer.concat(chunks).toString('utf8');
          if (name === 'manifest.json') manifest = JSON.parse(text) as BackupManifest;
          if (name === 'blobs.jsonl') {
            blobMeta = new Map(
              text
                .split('\n')
                .filter(Boolean)
                .map(
                  (l) =>
                    JSON.parse(l) as {
                      store: string;
                      key: string;
                      contentType: string;
                      metadata: Record<string, string>;
                    },
                )
                .map((b) => [`${b.store}\n${b.key}`, b]),
            );
          }
        }
      }
    }
    if (manifest?.weftBackup !== 1) throw new Error(`${from} is not a Weft backup (no manifest.json)`);
    if (manifest.dialect === 'sqlite' && file) {
      await writeFile(file, await readFile(join(work, 'database.sqlite')), { mode: 0o600 });
      for (const suffix of ['-wal', '-shm']) await rm(`${file}${suffix}`, { force: true });
    } else if (manifest.dialect === 'postgres' && !file) {
      await pgTool('pg_restore', [
        '--clean',
        '--if-exists',
        '--no-owner',
        '--no-privileges',
        `--dbname=${sessionDatabaseUrl(config)}`,
        join(work, 'database.pgdump'),
      ]);
    } else {
      throw new Error(`The backup holds a ${manifest.dialect} database; WEFT_DATABASE_URL names the other kind`);
    }
    let restored: BackupManifest['counts'];
    if (file) {
      const db = new Database(file, { readonly: true });
      try {
        const check = db.pragma('integrity_check', { simple: true });
        if (check !== 'ok') throw new Error(`The restored database fails SQLite's integrity check: ${String(check)}`);
        restored = await sqliteCounts(db);
      } finally {
        db.close();
      }
    } else restored = await postgresCounts(sessionDatabaseUrl(config));
    if (JSON.stringify(restored) !== JSON.stringify(manifest.counts)) {
      throw new Error(
        `The restored database holds ${JSON.stringify(restored)}, the backup ${JSON.stringify(manifest.counts)}`,
      );
    }
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
