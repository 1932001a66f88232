import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlobStorage, Logger } from '@weft/engine';
import type { HostConfig } from '../config/load-config.js';
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
  config: Pick<HostConfig, 'databaseUrl'>,
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

/**
 * Scheduled backups (`WEFT_BACKUP_INTERVAL_HOURS`): every interval a backup goes to the backups
 * bucket under `scheduled/`, and all but the newest `WEFT_BACKUP_KEEP` scheduled ones are
 * deleted. Run by processes with a worker; with several such processes on Postgres each takes its
 * own, so enable it on one. Returns the function that stops the timer.
 *
 * @example
 * ```ts
 * const stop = scheduleBackups(config, blob.storage, logger);
 * ```
 */
export function scheduleBackups(
  config: Pick<HostConfig, 'databaseUrl' | 'blob'>,
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
      const { key, manifest } = await storeBackup(config, storage, 'scheduled');
      const bucket = storage.bucket('backups');
      const keys: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await bucket.list({ prefix: 'scheduled/', ...(cursor ? { cursor } : {}) });
        keys.push(...page.items.map((i) => i.key));
        cursor = page.cursor;
      } while (cursor);
      // ISO times sort by age: the oldest come first.
      const old = keys.sort().slice(0, Math.max(0, keys.length - config.blob.backupKeep));
      for (const k of old) await bucket.delete(k);
      logger.info({ key, executions: manifest.counts.executions, deleted: old.length }, 'scheduled backup stored');
    } catch (err) {
      logger.error({ err: String(err) }, 'scheduled backup failed');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(tick, hours * 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
