import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlobStorage, Logger } from '@weft/engine';
import type { HostConfig } from '../config/load-config.js';
import { sessionDatabaseUrl } from '../config/scale-out-settings.js';
import { type BackupManifest, createBackup } from './backup.js';

/**
 * Takes a backup and stores it in the backups bucket as `<prefix>/<ISO time>.tar.gz` (streamed
 * from a temporary file), with the manifest's counts as metadata.
 *
 * @example
 * ```ts
 * const { key } = await storeBackup(config, blob.storage, 'manual');
 * ```
 */
export async function storeBackup(
  config: Pick<HostConfig, 'databaseUrl' | 'databaseDirectUrl'>,
  storage: BlobStorage,
  prefix: 'manual' | 'scheduled',
): Promise<{ key: string; manifest: BackupManifest }> {
  const work = await mkdtemp(join(tmpdir(), 'weft-backup-store-'));
  try {
    const file = join(work, 'backup.tar.gz');
    const manifest = await createBackup(config, storage, file);
    const key = `${prefix}/${manifest.createdAt.replace(/[:.]/g, '-')}.tar.gz`;
    await storage.bucket('backups').put(key, createReadStream(file), {
      contentType: 'application/gzip',
      metadata: { executions: String(manifest.counts.executions), dialect: manifest.dialect },
    });
    return { key, manifest };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Advisory-lock key (Postgres) of the scheduled backup: one number every Weft process agrees on. */
export const BACKUP_LOCK_KEY = 0x77656674_0016n;

/** Keys of the scheduled backups in the bucket, oldest first (ISO times sort by age). */
async function scheduledKeys(storage: BlobStorage): Promise<string[]> {
  const bucket = storage.bucket('backups');
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: 'scheduled/', ...(cursor ? { cursor } : {}) });
    keys.push(...page.items.map((i) => i.key));
    cursor = page.cursor;
  } while (cursor);
  return keys.sort();
}

/** When the scheduled backup stored as `key` was taken (its name is the manifest's ISO time). */
function takenAt(key: string): number {
  const m = /^scheduled\/(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.tar\.gz$/.exec(key);
  return m ? Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`) : 0;
}

/**
 * Runs `fn` while holding the cluster-wide backup lock, or answers `undefined` at once when another
 * process holds it. On Postgres a session advisory lock on a connection of its own (released
 * when the work ends, or by the server when the process dies); SQLite has one process, which
 * holds it always.
 *
 * @example
 * ```ts
 * const taken = await withBackupLock(config, () => storeBackup(config, storage, 'scheduled'));
 * ```
 */
export async function withBackupLock<T>(
  config: Pick<HostConfig, 'databaseUrl' | 'databaseDirectUrl'>,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  if (!config.databaseUrl.startsWith('postgres')) return fn();
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: sessionDatabaseUrl(config) });
  await client.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [
      BACKUP_LOCK_KEY.toString(),
    ]);
    if (!rows[0]?.ok) return undefined;
    try {
      return await fn();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [BACKUP_LOCK_KEY.toString()]);
    }
  } finally {
    await client.end();
  }
}

/** What one {@link scheduledBackupTick} did. */
export type ScheduledBackupOutcome =
  | { taken: true; key: string; executions: number; deleted: number }
  | { taken: false; reason: 'locked' | 'not-due' };

/**
 * One turn of the backup schedule, safe to run from every process at once: under
 * {@link withBackupLock}, a backup is taken only when the newest scheduled one is older than
 * 90% of the interval (so two processes whose timers fire together, or a restarted one, do not
 * both take it), then all but the newest `keep` scheduled backups are deleted.
 *
 * @example
 * ```ts
 * const outcome = await scheduledBackupTick(config, blob.storage);
 * ```
 */
export async function scheduledBackupTick(
  config: Pick<HostConfig, 'databaseUrl' | 'databaseDirectUrl' | 'blob'>,
  storage: BlobStorage,
  now: () => number = Date.now,
): Promise<ScheduledBackupOutcome> {
  const outcome = await withBackupLock(config, async (): Promise<ScheduledBackupOutcome> => {
    const newest = (await scheduledKeys(storage)).at(-1);
    if (newest && now() - takenAt(newest) < config.blob.backupIntervalHours * 0.9 * 3_600_000) {
      return { taken: false, reason: 'not-due' };
    }
    const { key, manifest } = await storeBackup(config, storage, 'scheduled');
    const keys = await scheduledKeys(storage);
    const old = keys.slice(0, Math.max(0, keys.length - config.blob.backupKeep));
    for (const k of old) await storage.bucket('backups').delete(k);
    return { taken: true, key, executions: manifest.counts.executions, deleted: old.length };
  });
  return outcome ?? { taken: false, reason: 'locked' };
}

/**
 * Scheduled backups (`WEFT_BACKUP_INTERVAL_HOURS`): every process with a worker checks every
 * tenth of the interval (at most hourly) and {@link scheduledBackupTick} lets one of them take the
 * backup once it is due, into the backups bucket under `scheduled/`, keeping the newest
 * `WEFT_BACKUP_KEEP`. Returns the function that stops the timer.
 *
 * @example
 * ```ts
 * const stop = scheduleBackups(config, blob.storage, logger);
 * ```
 */
export function scheduleBackups(
  config: Pick<HostConfig, 'databaseUrl' | 'databaseDirectUrl' | 'blob'>,
  storage: BlobStorage,
  logger: Logger,
): () => void {
  const hours = config.blob.backupIntervalHours;
  if (hours <= 0) return () => {};
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const outcome = await scheduledBackupTick(config, storage);
      if (outcome.taken) logger.info(outcome, 'scheduled backup stored');
    } catch (err) {
      logger.error({ err: String(err) }, 'scheduled backup failed');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(tick, Math.min(hours * 360_000, 3_600_000));
  timer.unref();
  return () => clearInterval(timer);
}
