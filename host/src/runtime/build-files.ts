import type { Logger } from '@weft/engine';
import { type HostDb, SqlExecutionFiles } from '@weft/sql';
import type { HostConfig } from '../config/load-config.js';
import { scheduleBackups } from './backup-schedule.js';
import { type BuiltBlobStorage, buildBlobStorage } from './build-blob.js';
import { ExecutionFileStore } from './execution-file-store.js';

/** What {@link buildFiles} returns. */
export interface BuiltFiles {
  blob: BuiltBlobStorage;
  /** Where workflows keep their files (user-uploads bucket, listed, quota-checked). */
  files: ExecutionFileStore;
  /** Stops the retention timer and releases the store's client. */
  close(): void;
}

const RETENTION_EVERY_MS = 15 * 60_000;

/**
 * Builds the blob buckets and the store workflows keep files in. With `retention` (processes
 * running a worker) a timer deletes, every 15 minutes and once at start, files of executions that
 * no longer exist and expired blobs of buckets with lifecycle expiry on the file system; `weft
 * prune` runs the same right after deleting executions. Such processes also take the scheduled
 * backups (`WEFT_BACKUP_INTERVAL_HOURS`).
 *
 * @example
 * ```ts
 * const { blob, files } = await buildFiles({ config, h, logger, retention: true });
 * ```
 */
export async function buildFiles(options: {
  config: Pick<HostConfig, 'blob' | 'publicUrl' | 'jwtSecret' | 'masterKeys' | 'databaseUrl'>;
  h: HostDb;
  logger: Logger;
  retention: boolean;
}): Promise<BuiltFiles> {
  const blob = await buildBlobStorage(options.config);
  const files = new ExecutionFileStore({
    bucket: blob.storage.bucket('user-uploads'),
    files: new SqlExecutionFiles(options.h),
    quotaBytes: options.config.blob.quotaBytes,
    logger: options.logger,
  });
  let busy = false;
  const sweep = async () => {
    if (busy) return;
    busy = true;
    try {
      await files.removeOrphans();
      const expired = await blob.removeExpired();
      if (expired) options.logger.info({ blobs: expired }, 'deleted expired blobs');
    } catch (err) {
      options.logger.warn({ err: String(err) }, 'file retention failed; retrying later');
    } finally {
      busy = false;
    }
  };
  const timer = options.retention ? setInterval(sweep, RETENTION_EVERY_MS) : undefined;
  timer?.unref();
  const first = options.retention ? setTimeout(sweep, 5_000) : undefined;
  const stopBackups = options.retention ? scheduleBackups(options.config, blob.storage, options.logger) : () => {};
  first?.unref();
  return {
    blob,
    files,
    close() {
      if (timer) clearInterval(timer);
      if (first) clearTimeout(first);
      stopBackups();
      blob.close();
    },
  };
}
