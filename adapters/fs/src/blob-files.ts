import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { type FileHandle, mkdir, readdir, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type BlobBody, blobBodyChunks } from '@weft/engine';

/** Directory under a bucket's root holding metadata and temporary files; never a key. */
export const INTERNAL_DIR = '.weft-internal';

/** What a metadata sidecar records; `ino` ties it to the data file it describes. */
export interface BlobSidecar {
  ino: number;
  contentType: string;
  sha256: string;
  metadata: Record<string, string>;
}

/**
 * Streams `body` into a new private file (mode 0600) under `tmpDir`, hashing as it goes; the
 * caller renames it into place. Removes the file if the body fails.
 */
export async function writeTempFile(
  tmpDir: string,
  body: BlobBody,
): Promise<{ path: string; size: number; sha256: string; ino: number }> {
  await mkdir(tmpDir, { recursive: true, mode: 0o700 });
  const path = join(tmpDir, randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      blobBodyChunks(body),
      async function* (chunks: AsyncIterable<Uint8Array>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.byteLength;
          yield chunk;
        }
      },
      createWriteStream(path, { flags: 'wx', mode: 0o600, highWaterMark: 1024 * 1024 }),
    );
    const { ino } = await stat(path);
    return { path, size, sha256: hash.digest('hex'), ino };
  } catch (err) {
    await unlink(path).catch(() => {});
    throw err;
  }
}

/** Renames `from` to `to`, creating `to`'s directories (mode 0700). */
export async function moveInto(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true, mode: 0o700 });
  await rename(from, to);
}

/** Removes now-empty directories from `dir` up to (not including) `stop`. */
export async function pruneEmptyDirs(dir: string, stop: string): Promise<void> {
  for (let d = dir; d.length > stop.length && d.startsWith(stop); d = dirname(d)) {
    try {
      await rmdir(d);
    } catch {
      return;
    }
  }
}

/**
 * Keys (relative, `/`-separated) of the files under `dir`, which holds keys starting with
 * `keyBase`; the internal directory is skipped.
 */
export async function* walkKeys(dir: string, keyBase: string): AsyncGenerator<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return;
    throw err;
  }
  for (const entry of entries) {
    if (!keyBase && entry.name === INTERNAL_DIR) continue;
    const key = keyBase ? `${keyBase}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* walkKeys(join(dir, entry.name), key);
    else if (entry.isFile()) yield key;
  }
}

/** ENOENT/ENOTDIR/EISDIR: the path is not a file. */
export function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

/**
 * A web stream over an open file, 1 MiB per read, closing the file at the end or on cancel.
 * Reads straight from the handle: `Readable.toWeb(createReadStream())` costs three times as much.
 */
export function fileBodyStream(file: FileHandle): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const buffer = Buffer.allocUnsafe(1024 * 1024);
        const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) {
          await file.close();
          controller.close();
        } else {
          controller.enqueue(new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead));
        }
      } catch (err) {
        await file.close().catch(() => {});
        controller.error(err);
      }
    },
    cancel: () => file.close(),
  });
}
