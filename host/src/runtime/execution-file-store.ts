import {
  type BlobBody,
  type BlobInfo,
  type BlobListPage,
  type BlobObject,
  type BlobPresignOptions,
  type BlobPutOptions,
  BlobQuotaExceededError,
  type BlobStore,
  binaryPrefix,
  type Logger,
} from '@weft/engine';
import type { SqlExecutionFiles } from '@weft/sql';

/** Options of {@link ExecutionFileStore}. */
export interface ExecutionFileStoreOptions {
  /** Where the bytes go (the user-uploads bucket). */
  bucket: BlobStore;
  /** The `execution_files` table. */
  files: SqlExecutionFiles;
  /** Bytes one workspace may keep; 0: no limit. */
  quotaBytes: number;
  logger: Logger;
  now?: () => number;
}

/**
 * The blob store workflows keep their files in: the user-uploads bucket, with every file listed
 * in `execution_files` under its workspace and execution (keys are `<workspace>/<execution>/<id>`,
 * see `putBinary`). A put that would take the workspace over its quota is refused with
 * {@link BlobQuotaExceededError} before anything is written when the size is known (a buffer),
 * or removed again when a stream turns out too large. {@link ExecutionFileStore.removeOrphans}
 * deletes the files of executions that no longer exist (pruned, deleted).
 *
 * @example
 * ```ts
 * const store = new ExecutionFileStore({ bucket: storage.bucket('user-uploads'), files, quotaBytes: 1e9, logger });
 * const ref = await putBinary(store, { workspaceId, executionId }, bytes, { mimeType: 'image/png' });
 * ```
 */
export class ExecutionFileStore implements BlobStore {
  readonly #o: ExecutionFileStoreOptions;
  readonly #now: () => number;

  constructor(options: ExecutionFileStoreOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** Bytes of files the workspace keeps. */
  usedBytes(workspaceId: string): Promise<number> {
    return this.#o.files.usedBytes(workspaceId);
  }

  async put(key: string, data: BlobBody, options?: BlobPutOptions): Promise<BlobInfo> {
    const [workspaceId, executionId] = key.split('/');
    if (!workspaceId || !executionId || key.split('/').length < 3) {
      throw new TypeError(`Execution file key "${key}" must be <workspace>/<execution>/<name>`);
    }
    const quota = this.#o.quotaBytes;
    const used = quota > 0 ? await this.#o.files.usedBytes(workspaceId) : 0;
    if (quota > 0 && data instanceof Uint8Array && used + data.byteLength > quota) {
      throw new BlobQuotaExceededError(workspaceId, quota, used, data.byteLength);
    }
    const info = await this.#o.bucket.put(key, data, options);
    if (quota > 0 && used + info.size > quota) {
      await this.#o.bucket.delete(key);
      throw new BlobQuotaExceededError(workspaceId, quota, used, info.size);
    }
    await this.#o.files.add({ key, workspaceId, executionId, size: info.size, createdAt: this.#now() });
    return info;
  }

  get(key: string): Promise<Uint8Array | undefined> {
    return this.#o.bucket.get(key);
  }

  getStream(key: string, options?: { versionId?: string }): Promise<BlobObject> {
    return this.#o.bucket.getStream(key, options);
  }

  head(key: string): Promise<BlobInfo | undefined> {
    return this.#o.bucket.head(key);
  }

  async delete(key: string): Promise<boolean> {
    const deleted = await this.#o.bucket.delete(key);
    await this.#o.files.remove([key]);
    return deleted;
  }

  async deletePrefix(prefix: string): Promise<number> {
    const n = await this.#o.bucket.deletePrefix(prefix);
    await this.#o.files.removePrefix(prefix);
    return n;
  }

  list(options?: { prefix?: string; cursor?: string; limit?: number }): Promise<BlobListPage> {
    return this.#o.bucket.list(options);
  }

  presign(key: string, options: BlobPresignOptions): Promise<string> {
    return this.#o.bucket.presign(key, options);
  }

  listVersions(key: string): Promise<BlobInfo[]> {
    return this.#o.bucket.listVersions(key);
  }

  /**
   * Deletes the files of executions that no longer exist (stored more than `graceMs` ago, so an
   * upload written just before its execution is kept), in batches; returns how many went.
   */
  async removeOrphans(graceMs = 10 * 60_000): Promise<number> {
    let removed = 0;
    for (;;) {
      const rows = await this.#o.files.orphans(this.#now() - graceMs, 500);
      if (rows.length === 0) return removed;
      const executions = new Map(rows.map((r) => [binaryPrefix(r), r] as const));
      for (const prefix of executions.keys()) {
        await this.#o.bucket.deletePrefix(prefix);
        await this.#o.files.removePrefix(prefix);
      }
      removed += rows.length;
      this.#o.logger.info({ files: rows.length, executions: executions.size }, 'deleted files of removed executions');
    }
  }
}
