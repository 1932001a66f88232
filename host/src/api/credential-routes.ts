import { Type } from '@sinclair/typebox';
import { builtinConnectors, type ConnectorRuntime, createHttpClient, testCredential } from '@weft/connectors';
import type { JsonObject } from '@weft/engine';
import { assertConnectorAllowed } from '../auth/connector-allow-list.js';
import { auditedMutation } from '../compliance/audited-mutation.js';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, JsonObjectSchema, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

const CredentialParams = Type.Object({ workspaceId: IdString, credentialId: IdString });
const CredentialType = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._-]+$' });

async function requiredInfo(rt: HostRuntime, ws: string, id: string) {
  const info = await rt.vault.get(ws, id);
  if (!info) throw new ProblemError(404, 'credential-not-found', `Credential "${id}" not found`);
  return info;
}

function vaultError(e: unknown): never {
  const m = (e as Error).message ?? String(e);
  if (/required|missing|must|needs field/i.test(m))
    throw new ProblemError(422, 'invalid-credential-data', m, { errors: [{ in: 'body', path: '/data', message: m }] });
  throw e;
}

/**
 * Credentials: secrets are write-only (responses carry metadata and field names only), plus a
 * connection test.
 *
 * @example
 * ```ts
 * mountRoutes(router, credentialRoutes(runtime), runtime);
 * ```
 */
export function credentialRoutes(rt: HostRuntime): AnyRoute[] {
  const base = '/workspaces/:workspaceId/credentials';
  const one = `${base}/:credentialId`;
  let runtime: ConnectorRuntime | undefined;
  return [
    defineRoute({
      method: 'get',
      path: base,
      summary: 'List credentials (metadata only)',
      tag: 'credentials',
      scope: 'credentials',
      auth: 'read',
      params: WorkspaceParams,
      handler: async ({ params }) => ({ items: await rt.vault.list(params.workspaceId) }),
    }),
    defineRoute({
      method: 'post',
      path: base,
      summary: 'Store a credential (encrypted; the secret is never returned)',
      tag: 'credentials',
      scope: 'credentials',
      auth: 'write',
      status: 201,
      params: WorkspaceParams,
      body: Type.Object(
        { type: CredentialType, name: Type.String({ minLength: 1, maxLength: 200 }), data: JsonObjectSchema },
        { additionalProperties: false },
      ),
      handler: async ({ params, body, principal }) => {
        assertConnectorAllowed(principal, body.type);
        try {
          return await auditedMutation(
            rt,
            (s) =>
              s.vault.create({
                workspaceId: params.workspaceId,
                type: body.type,
                name: body.name,
                data: body.data as JsonObject,
              }),
            (info) => info.id,
          );
        } catch (e) {
          vaultError(e);
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: one,
      summary: 'Credential metadata',
      tag: 'credentials',
      scope: 'credentials',
      auth: 'read',
      params: CredentialParams,
      handler: async ({ params }) => requiredInfo(rt, params.workspaceId, params.credentialId),
    }),
    defineRoute({
      method: 'patch',
      path: one,
      summary: 'Rename and/or set fields (a field set to null is removed)',
      tag: 'credentials',
      scope: 'credentials',
      auth: 'write',
      params: CredentialParams,
      body: Type.Object(
        { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), data: Type.Optional(JsonObjectSchema) },
        { additionalProperties: false },
      ),
      handler: async ({ params, body, principal }) => {
        assertConnectorAllowed(principal, (await requiredInfo(rt, params.workspaceId, params.credentialId)).type);
        try {
          const info = await auditedMutation(rt, (s) =>
            s.vault.update(params.workspaceId, params.credentialId, {
              ...(body.name ? { name: body.name } : {}),
              ...(body.data ? { data: body.data as JsonObject } : {}),
            }),
          );
          rt.webhooks.forgetCredentials(params.workspaceId);
          return info;
        } catch (e) {
          vaultError(e);
        }
      },
    }),
    defineRoute({
      method: 'delete',
      path: one,
      summary: 'Delete a credential',
      tag: 'credentials',
      scope: 'credentials',
      auth: 'write',
      params: CredentialParams,
      handler: async ({ params }) => {
        if (!(await auditedMutation(rt, (s) => s.vault.delete(params.workspaceId, params.credentialId))))
          throw new ProblemError(404, 'credential-not-found', `Credential "${params.credentialId}" not found`);
        rt.webhooks.forgetCredentials(params.workspaceId);
        return undefined;
      },
    }),
    defineRoute({
      method: 'post',
      path: `${one}/test`,
      summary: 'Test the connection with this credential (it sends the secret to the service: editor role and above)',
      tag: 'credentials',
      scope: 'credentials',
      auth: 'write',
      params: CredentialParams,
      handler: async ({ params, principal }) => {
        const info = await requiredInfo(rt, params.workspaceId, params.credentialId);
        assertConnectorAllowed(principal, info.type);
        const resolved = await rt.vault.resolve({
          workspaceId: params.workspaceId,
          credentialId: info.id,
          nodeType: info.type,
        });
        let last = `No installed connector accepts credential type ${info.type}`;
        // The host's outbound policy (WEFT_HTTP_ALLOW) applies to tests as it does to runs.
        runtime ??= { http: createHttpClient({ allow: rt.config.httpAllow }), tokens: rt.oauth2 };
        for (const connector of builtinConnectors) {
          const r = await testCredential(connector, resolved, runtime, { workspaceId: params.workspaceId });
          if (r.ok) return { ok: true };
          if (!r.message.includes('does not accept')) return r;
          last = r.message;
        }
        return { ok: false, message: last };
      },
    }),
  ];
}
