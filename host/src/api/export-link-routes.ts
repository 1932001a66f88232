import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { allWorkflows, exportDocument } from '../workflows/workflow-service.js';
import { workflowRoutes } from './workflow-routes.js';

const DOWNLOAD_SECONDS = 3600;
const UPLOAD_SECONDS = 900;
/** Largest import document read back from an upload. */
const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

const Link = Type.Object({
  key: Type.String(),
  url: Type.String({ description: 'Pre-signed URL; needs no other credentials until it expires' }),
  expiresAt: Type.Integer({ description: 'Epoch ms' }),
});

/**
 * Workflow exports and imports through the workflow-exports bucket: an export is stored there and
 * answered as a pre-signed download link (an hour); an import gets a pre-signed upload link, then
 * the uploaded document (JSON or YAML: a Weft export, an n8n export or a Node-RED flows.json) is
 * imported exactly as `POST .../workflows/import` would.
 *
 * @example
 * ```ts
 * mountRoutes(router, exportLinkRoutes(rt), rt);
 * ```
 */
export function exportLinkRoutes(rt: HostRuntime): AnyRoute[] {
  const bucket = () => rt.blob.storage.bucket('workflow-exports');
  const importRoute = workflowRoutes(rt).find((r) => r.method === 'post' && r.path.endsWith('/workflows/import'));
  if (!importRoute) throw new Error('workflow import route not found');
  return [
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/exports',
      summary: 'Export one workflow or the whole workspace into the exports bucket and get a download link',
      tag: 'workflows',
      scope: 'workflows',
      auth: 'read',
      status: 201,
      params: WorkspaceParams,
      body: Type.Object(
        {
          workflowId: Type.Optional(IdString),
          format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('yaml')])),
        },
        { additionalProperties: false },
      ),
      response: Link,
      handler: async ({ params, body }) => {
        const ws = params.workspaceId;
        let doc: unknown;
        if (body.workflowId) {
          const stored = await rt.engine.workflows.get(ws, body.workflowId);
          if (!stored) throw new ProblemError(404, 'workflow-not-found', `Workflow "${body.workflowId}" not found`);
          doc = exportDocument(stored);
        } else {
          const w = await rt.identity.workspace(ws);
          doc = {
            weft: 1,
            workspace: { id: w?.id, name: w?.name },
            workflows: (await allWorkflows(rt, ws)).map(exportDocument),
          };
        }
        const yaml = body.format === 'yaml';
        const text = yaml ? toYaml(doc) : JSON.stringify(doc, null, 2);
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const key = `${ws}/exports/${stamp}-${body.workflowId ?? 'workspace'}.${yaml ? 'yaml' : 'json'}`;
        await bucket().put(key, new TextEncoder().encode(text), {
          contentType: yaml ? 'application/yaml' : 'application/json',
        });
        const url = await bucket().presign(key, { method: 'GET', expiresIn: DOWNLOAD_SECONDS });
        return { key, url, expiresAt: Date.now() + DOWNLOAD_SECONDS * 1000 };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/imports',
      summary: 'Get a link to upload an import document to (PUT, fifteen minutes)',
      tag: 'workflows',
      scope: 'workflows',
      auth: 'write',
      status: 201,
      params: WorkspaceParams,
      response: Type.Object({ uploadId: Type.String(), url: Type.String(), expiresAt: Type.Integer() }),
      handler: async ({ params }) => {
        const uploadId = randomUUID();
        const url = await bucket().presign(`${params.workspaceId}/imports/${uploadId}`, {
          method: 'PUT',
          expiresIn: UPLOAD_SECONDS,
        });
        return { uploadId, url, expiresAt: Date.now() + UPLOAD_SECONDS * 1000 };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/imports/:uploadId',
      summary: 'Import the document uploaded to an import link, as POST .../workflows/import does',
      tag: 'workflows',
      scope: 'workflows',
      auth: 'write',
      params: Type.Object({
        workspaceId: IdString,
        uploadId: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }),
      }),
      query: Type.Object({
        from: Type.Optional(Type.Union([Type.Literal('weft'), Type.Literal('n8n'), Type.Literal('node-red')])),
        dryRun: Type.Optional(Type.Boolean()),
      }),
      handler: async (ctx) => {
        const key = `${ctx.params.workspaceId}/imports/${ctx.params.uploadId}`;
        const info = await bucket().head(key);
        if (!info)
          throw new ProblemError(404, 'upload-not-found', `Nothing was uploaded for import ${ctx.params.uploadId}`);
        if (info.size > MAX_IMPORT_BYTES) {
          throw new ProblemError(
            413,
            'body-too-large',
            `The uploaded document has ${info.size} bytes; at most ${MAX_IMPORT_BYTES}`,
          );
        }
        const text = new TextDecoder().decode(await bucket().get(key));
        let body: unknown;
        try {
          body = /^\s*[[{]/.test(text) ? JSON.parse(text) : parseYaml(text);
        } catch (err) {
          throw new ProblemError(
            400,
            'invalid-import',
            `The uploaded document is neither JSON nor YAML: ${(err as Error).message}`,
          );
        }
        const result = await importRoute.handler({ ...ctx, body });
        if (!ctx.query.dryRun) await bucket().delete(key);
        return result;
      },
    }),
  ];
}
