import { Type } from '@sinclair/typebox';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, WorkspaceParams } from '../http/schemas.js';
import {
  checkWorkspaceBundle,
  exportWorkspaceBundle,
  importWorkspaceBundle,
  MIN_PASSPHRASE,
} from '../runtime/backup-workspace.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

const DOWNLOAD_SECONDS = 3600;
/** Largest bundle read back from an upload. */
const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

const Passphrase = Type.Object(
  {
    passphrase: Type.String({
      minLength: MIN_PASSPHRASE,
      maxLength: 1024,
      description: 'Seals the credentials in the bundle (scrypt-derived key); needed again to import it',
    }),
  },
  { additionalProperties: false },
);

const Entry = Type.Object({ email: Type.String(), role: Type.String() });

/**
 * Whole-workspace bundles (issue 16): `POST .../export/bundle` stores the workspace's workflows,
 * members and credentials (sealed under the caller's passphrase) in the workflow-exports bucket
 * and answers a pre-signed download link; `POST .../import/bundle/:uploadId` imports a bundle
 * uploaded through `POST .../imports` into this workspace: credentials re-encrypted under this
 * host's keys, workflows saved inactive, members matched by email or invited. Admins only: a
 * bundle carries every credential.
 *
 * @example
 * ```ts
 * mountRoutes(router, workspaceBundleRoutes(rt), rt);
 * ```
 */
export function workspaceBundleRoutes(rt: HostRuntime): AnyRoute[] {
  const bucket = () => rt.blob.storage.bucket('workflow-exports');
  return [
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/export/bundle',
      summary: 'Export the whole workspace with members and credentials (sealed by a passphrase) as a download link',
      tag: 'workflows',
      scope: 'credentials',
      auth: 'admin',
      status: 201,
      params: WorkspaceParams,
      body: Passphrase,
      response: Type.Object({
        key: Type.String(),
        url: Type.String({ description: 'Pre-signed URL; needs no other credentials until it expires' }),
        expiresAt: Type.Integer({ description: 'Epoch ms' }),
        workflows: Type.Integer(),
        credentials: Type.Integer(),
        members: Type.Integer(),
      }),
      handler: async ({ params, body }) => {
        const bundle = await exportWorkspaceBundle(rt, params.workspaceId, body.passphrase);
        const stamp = bundle.exportedAt.replace(/[:.]/g, '-');
        const key = `${params.workspaceId}/exports/${stamp}-workspace-bundle.json`;
        await bucket().put(key, new TextEncoder().encode(JSON.stringify(bundle)), {
          contentType: 'application/json',
        });
        const url = await bucket().presign(key, { method: 'GET', expiresIn: DOWNLOAD_SECONDS });
        return {
          key,
          url,
          expiresAt: Date.now() + DOWNLOAD_SECONDS * 1000,
          workflows: bundle.workflows.length,
          credentials: bundle.credentials.items.length,
          members: bundle.members.length,
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/import/bundle/:uploadId',
      summary: 'Import a workspace bundle uploaded to an import link into this workspace',
      tag: 'workflows',
      scope: 'credentials',
      auth: 'admin',
      params: Type.Object({
        workspaceId: IdString,
        uploadId: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }),
      }),
      body: Passphrase,
      response: Type.Object({
        workflows: Type.Array(
          Type.Object({ id: Type.String(), name: Type.String(), error: Type.Optional(Type.String()) }),
        ),
        credentials: Type.Array(Type.Object({ from: Type.String(), id: Type.String(), name: Type.String() })),
        members: Type.Object({
          added: Type.Array(Entry),
          invited: Type.Array(Type.Object({ email: Type.String(), role: Type.String(), url: Type.String() })),
          skipped: Type.Array(Type.Object({ email: Type.String(), role: Type.String(), reason: Type.String() })),
        }),
      }),
      handler: async ({ params, body, role }) => {
        const key = `${params.workspaceId}/imports/${params.uploadId}`;
        const info = await bucket().head(key);
        if (!info)
          throw new ProblemError(404, 'upload-not-found', `Nothing was uploaded for import ${params.uploadId}`);
        if (info.size > MAX_BUNDLE_BYTES) {
          throw new ProblemError(
            413,
            'body-too-large',
            `The uploaded bundle has ${info.size} bytes; at most ${MAX_BUNDLE_BYTES}`,
          );
        }
        let doc: unknown;
        try {
          doc = JSON.parse(new TextDecoder().decode(await bucket().get(key)));
        } catch (err) {
          throw new ProblemError(400, 'invalid-bundle', `The uploaded bundle is not JSON: ${(err as Error).message}`);
        }
        const report = await importWorkspaceBundle(
          rt,
          params.workspaceId,
          checkWorkspaceBundle(doc),
          body.passphrase,
          role,
        );
        await bucket().delete(key);
        return report;
      },
    }),
  ];
}
