import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { Type } from '@sinclair/typebox';
import { BlobNotFoundError } from '@weft/engine';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString } from '../http/schemas.js';
import { fileHeaders } from '../http/signed-blob-route.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

const FileParams = Type.Object({
  workspaceId: IdString,
  executionId: IdString,
  fileId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,100}$', description: 'Last segment of a binary reference id' }),
});

const LINK_SECONDS = 600;

/** The file of an execution a reference names, checked to belong to that workspace and execution. */
async function fileOf(rt: HostRuntime, p: { workspaceId: string; executionId: string; fileId: string }) {
  const execution = await rt.engine.executions.get(p.workspaceId, p.executionId);
  const key = `${p.workspaceId}/${p.executionId}/${p.fileId}`;
  const info = execution && execution.workspaceId === p.workspaceId ? await rt.files.head(key) : undefined;
  if (!info) {
    throw new ProblemError(404, 'file-not-found', `Execution "${p.executionId}" has no file "${p.fileId}"`);
  }
  const name = info.metadata['file-name'];
  let fileName: string | undefined;
  try {
    fileName = name ? decodeURIComponent(name) : undefined;
  } catch {
    fileName = undefined;
  }
  return { key, info, fileName };
}

/**
 * Files of executions (binary references on items): download or preview with the caller's
 * session, a short-lived link that needs none (an `<img src>`, a download in another tab), and a
 * workspace's usage against its quota.
 *
 * @example
 * ```ts
 * mountRoutes(router, executionFileRoutes(rt), rt);
 * ```
 */
export function executionFileRoutes(rt: HostRuntime): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/executions/:executionId/files/:fileId',
      summary: "Download or preview a file of an execution (an item's binary reference)",
      tag: 'executions',
      auth: 'read',
      scope: 'executions',
      stream: true,
      params: FileParams,
      query: Type.Object({
        inline: Type.Optional(
          Type.Boolean({ description: 'Show images, PDF, plain text, audio and video in the browser' }),
        ),
      }),
      handler: async ({ params, query, res }) => {
        const { key, fileName } = await fileOf(rt, params);
        let opened: Awaited<ReturnType<HostRuntime['files']['getStream']>>;
        try {
          opened = await rt.files.getStream(key);
        } catch (err) {
          if (err instanceof BlobNotFoundError)
            throw new ProblemError(
              404,
              'file-not-found',
              `Execution "${params.executionId}" has no file "${params.fileId}"`,
            );
          throw err;
        }
        const { info, body } = opened;
        res.status(200);
        res.setHeader('content-type', info.contentType);
        res.setHeader('content-length', String(info.size));
        res.setHeader('etag', `"${info.sha256}"`);
        for (const [k, v] of Object.entries(fileHeaders(info.contentType, fileName, query.inline === true))) {
          res.setHeader(k, v);
        }
        await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), res);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/executions/:executionId/files/:fileId/link',
      summary: 'A download link for a file of an execution, valid ten minutes without other credentials',
      tag: 'executions',
      auth: 'read',
      scope: 'executions',
      params: FileParams,
      response: Type.Object({ url: Type.String(), expiresAt: Type.Integer() }),
      handler: async ({ params }) => {
        const { key } = await fileOf(rt, params);
        const url = await rt.files.presign(key, { method: 'GET', expiresIn: LINK_SECONDS });
        return { url, expiresAt: Date.now() + LINK_SECONDS * 1000 };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/files/usage',
      summary: "Bytes of files the workspace's executions keep, and its quota (0: none)",
      tag: 'executions',
      auth: 'read',
      scope: 'executions',
      params: Type.Object({ workspaceId: IdString }),
      response: Type.Object({ usedBytes: Type.Integer(), quotaBytes: Type.Integer() }),
      handler: async ({ params }) => ({
        usedBytes: await rt.files.usedBytes(params.workspaceId),
        quotaBytes: rt.config.blob.quotaBytes,
      }),
    }),
  ];
}
