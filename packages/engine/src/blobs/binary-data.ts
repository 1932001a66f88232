import { EngineError } from '../execution/engine-error.js';
import type { BinaryRef } from '../model/item.js';
import type { BlobBody, BlobStore } from '../ports/blob-store.js';

/** Where a file belongs: its workspace and the execution that made it. */
export interface BinaryOwner {
  workspaceId: string;
  executionId: string;
}

/**
 * The key prefix of every file an execution stores: `<workspace>/<execution>/`. Deleting the
 * prefix deletes the execution's files (retention); a reference outside its workspace's prefix
 * is refused by {@link readBinary}.
 *
 * @example
 * ```ts
 * await blobs.deletePrefix(binaryPrefix({ workspaceId: 'ws1', executionId: 'e1' }));
 * ```
 */
export function binaryPrefix(owner: BinaryOwner): string {
  return `${owner.workspaceId}/${owner.executionId}/`;
}

/**
 * Stores a file of an execution and returns the reference items carry instead of the bytes:
 * id (the blob key), MIME type, file name, size and SHA-256.
 *
 * @example
 * ```ts
 * const ref = await putBinary(ctx.blobs, { workspaceId, executionId }, bytes, { mimeType: 'text/csv', fileName: 'out.csv' });
 * return { outputs: { main: [{ json: {}, binary: { data: ref } }] } };
 * ```
 */
export async function putBinary(
  store: BlobStore,
  owner: BinaryOwner,
  data: BlobBody,
  meta: { mimeType: string; fileName?: string },
): Promise<BinaryRef> {
  const id = `${binaryPrefix(owner)}${crypto.randomUUID()}`;
  const info = await store.put(id, data, {
    contentType: meta.mimeType,
    ...(meta.fileName ? { metadata: { 'file-name': encodeURIComponent(meta.fileName).slice(0, 1024) } } : {}),
  });
  return {
    id,
    mimeType: info.contentType,
    ...(meta.fileName ? { fileName: meta.fileName } : {}),
    size: info.size,
    sha256: info.sha256,
  };
}

/**
 * Reads the bytes of a file reference of `workspaceId`, refusing references to other workspaces'
 * files (a code node could forge one) and files larger than `maxBytes`.
 *
 * @example
 * ```ts
 * const bytes = await readBinary(ctx.blobs, ctx.execution.workspaceId, item.binary.data);
 * ```
 */
export async function readBinary(
  store: BlobStore,
  workspaceId: string,
  ref: BinaryRef,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<Uint8Array> {
  if (typeof ref?.id !== 'string' || !ref.id.startsWith(`${workspaceId}/`)) {
    throw new EngineError('BINARY_NOT_FOUND', `Binary data "${String(ref?.id)}" is not a file of this workspace`);
  }
  if (typeof ref.size === 'number' && ref.size > maxBytes) {
    throw new EngineError(
      'LIMIT_EXCEEDED',
      `Binary data "${ref.fileName ?? ref.id}" has ${ref.size} bytes; at most ${maxBytes} can be read here`,
    );
  }
  const bytes = await store.get(ref.id);
  if (!bytes) throw new EngineError('BINARY_NOT_FOUND', `Binary data "${ref.fileName ?? ref.id}" no longer exists`);
  return bytes;
}

/**
 * A workspace's files would exceed its storage quota. The file was not kept.
 *
 * @example
 * ```ts
 * throw new BlobQuotaExceededError('ws1', 1_000_000, 999_000, 5_000);
 * ```
 */
export class BlobQuotaExceededError extends EngineError {
  constructor(
    readonly workspaceId: string,
    readonly quotaBytes: number,
    readonly usedBytes: number,
    readonly addedBytes: number,
  ) {
    super(
      'BLOB_QUOTA_EXCEEDED',
      `Workspace ${workspaceId} would keep ${usedBytes + addedBytes} bytes of files, over its quota of ${quotaBytes} bytes (${usedBytes} used); delete executions with files or raise the quota`,
      { quotaBytes, usedBytes, addedBytes },
    );
  }
}
