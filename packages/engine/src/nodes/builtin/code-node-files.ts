import { putBinary, readBinary } from '../../blobs/binary-data.js';
import { EngineError } from '../../execution/engine-error.js';
import type { BinaryRef, Item } from '../../model/item.js';
import type { NodeContext } from '../node-type.js';

/** How a code node sees its input items' files. */
export type CodeFileAccess = 'refs' | 'base64' | 'text';

/** Most bytes of files one code-node run may read (base64 grows them by a third in the sandbox). */
export const CODE_FILE_READ_LIMIT = 16 * 1024 * 1024;

/** Most bytes of files one code-node run may create. */
export const CODE_FILE_WRITE_LIMIT = 64 * 1024 * 1024;

type Ctx = Pick<NodeContext, 'blobs' | 'execution' | 'node'>;

function storeOf(ctx: Ctx) {
  if (!ctx.blobs) {
    throw new EngineError(
      'NODE_ERROR',
      `Code node "${ctx.node.name}" works with files, but this engine has no blob store`,
    );
  }
  return ctx.blobs;
}

/**
 * Input items with each file's content added as `data` (base64 or UTF-8 text), within
 * {@link CODE_FILE_READ_LIMIT} bytes for the run. Items without files are passed as they are.
 */
export async function withFileContents(ctx: Ctx, items: Item[], access: CodeFileAccess): Promise<Item[]> {
  if (access === 'refs' || !items.some((i) => i.binary && Object.keys(i.binary).length)) return items;
  const store = storeOf(ctx);
  let budget = CODE_FILE_READ_LIMIT;
  const decoder = new TextDecoder();
  const out: Item[] = [];
  for (const item of items) {
    if (!item.binary) {
      out.push(item);
      continue;
    }
    const binary: Record<string, BinaryRef & { data: string }> = {};
    for (const [name, ref] of Object.entries(item.binary)) {
      const bytes = await readBinary(store, ctx.execution.workspaceId, ref, budget);
      budget -= bytes.byteLength;
      binary[name] = { ...ref, data: access === 'text' ? decoder.decode(bytes) : toBase64(bytes) };
    }
    out.push({ ...item, binary });
  }
  return out;
}

/**
 * Output items with the files the code created stored: a `binary` entry without an `id` and with
 * a string `data` (base64, or text when `encoding: 'text'`) becomes a stored file reference;
 * entries with an `id` (input files passed on) keep their reference, without `data`. A reference the code made up
 * (an id outside this workspace) is refused.
 */
export async function storeCreatedFiles(ctx: Ctx, items: Item[]): Promise<Item[]> {
  if (!items.some((i) => i.binary)) return items;
  let budget = CODE_FILE_WRITE_LIMIT;
  const out: Item[] = [];
  for (const [index, item] of items.entries()) {
    if (!item.binary) {
      out.push(item);
      continue;
    }
    const binary: Record<string, BinaryRef> = {};
    for (const [name, raw] of Object.entries(item.binary as Record<string, unknown>)) {
      const entry = (raw ?? {}) as Partial<BinaryRef> & { data?: unknown; encoding?: unknown };
      const where = `Code node "${ctx.node.name}" item ${index} binary "${name}"`;
      if (typeof entry.data === 'string' && entry.id === undefined) {
        const bytes = entry.encoding === 'text' ? new TextEncoder().encode(entry.data) : fromBase64(entry.data, where);
        budget -= bytes.byteLength;
        if (budget < 0) {
          throw new EngineError(
            'LIMIT_EXCEEDED',
            `${where}: files created in one run exceed ${CODE_FILE_WRITE_LIMIT} bytes`,
          );
        }
        const mimeType =
          typeof entry.mimeType === 'string' && entry.mimeType ? entry.mimeType : 'application/octet-stream';
        binary[name] = await putBinary(
          storeOf(ctx),
          { workspaceId: ctx.execution.workspaceId, executionId: ctx.execution.id },
          bytes,
          {
            mimeType,
            ...(typeof entry.fileName === 'string' && entry.fileName ? { fileName: entry.fileName } : {}),
          },
        );
        continue;
      }
      if (
        typeof entry.id !== 'string' ||
        !(entry.id.startsWith(`${ctx.execution.workspaceId}/`) || entry.id.startsWith('data:')) ||
        typeof entry.mimeType !== 'string' ||
        typeof entry.size !== 'number'
      ) {
        throw new EngineError(
          'NODE_ERROR',
          `${where}: give a file as { data: <base64>, mimeType, fileName? } or pass on a file reference of this workspace`,
        );
      }
      const { data: _d, encoding: _e, ...ref } = entry;
      binary[name] = ref as BinaryRef;
    }
    out.push({ ...item, binary });
  }
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string, where: string): Uint8Array {
  try {
    const s = atob(text.replace(/\s+/g, ''));
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  } catch {
    throw new EngineError('NODE_ERROR', `${where}: data is not valid base64 (set encoding: 'text' for plain text)`);
  }
}
