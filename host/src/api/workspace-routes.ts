import { Type } from '@sinclair/typebox';
import { atLeast } from '../auth/roles.js';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, RoleSchema, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

const MemberParams = Type.Object({ workspaceId: IdString, userId: IdString });
const KeyParams = Type.Object({ workspaceId: IdString, keyId: IdString });
const Scope = Type.String({ pattern: '^(\\*|[a-z-]+:(read|write|\\*))$', maxLength: 64 });

/**
 * Workspaces, members and roles, invitations, and API keys.
 *
 * @example
 * ```ts
 * mountRoutes(router, workspaceRoutes(runtime), runtime);
 * ```
 */
export function workspaceRoutes(rt: HostRuntime): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/workspaces',
      summary: 'Workspaces of the caller, with their role',
      tag: 'workspaces',
      auth: 'user',
      handler: async ({ principal }) => {
        const all = await rt.identity.workspacesOf(principal.userId);
        const only = principal.kind === 'apiKey' ? principal.key.workspaceId : principal.scope?.workspaceId;
        const items = only === undefined ? all : all.filter((w) => w.id === only);
        return { items: await withRegions(rt, items) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/regions',
      summary: 'Data residency regions a new workspace can be created in (empty: one database)',
      tag: 'workspaces',
      auth: 'user',
      response: Type.Object({
        items: Type.Array(Type.Object({ name: Type.String() })),
        default: Type.Union([Type.String(), Type.Null()]),
      }),
      handler: () => {
        const residency = rt.residency;
        if (!residency) return { items: [], default: null };
        return { items: residency.names.map((name) => ({ name })), default: residency.defaultRegion };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces',
      summary: 'Create a workspace (the caller becomes its owner)',
      tag: 'workspaces',
      auth: 'user',
      status: 201,
      body: Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 200 }),
          region: Type.Optional(
            Type.String({
              pattern: '^[a-z][a-z0-9-]{0,31}$',
              description:
                'Data residency region (GET /regions); fixed for the life of the workspace. Default: the default region',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      handler: async ({ principal, body }) => {
        if (principal.kind !== 'user')
          throw new ProblemError(403, 'session-required', 'API keys cannot create workspaces');
        if (principal.scope)
          throw new ProblemError(403, 'embed-session', 'An embedded session is limited to its own workspace');
        if (rt.residency)
          return { ...(await rt.residency.createWorkspace(body.name, principal.userId, body.region)), role: 'owner' };
        if (body.region !== undefined)
          throw new ProblemError(
            422,
            'regions-not-configured',
            'This host keeps all data in one database (WEFT_REGIONS is not set); leave out region',
            {
              errors: [{ in: 'body', path: '/region', message: 'no regions are configured' }],
            },
          );
        return { ...(await rt.identity.createWorkspace(body.name, principal.userId)), role: 'owner' };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId',
      summary: 'One workspace',
      tag: 'workspaces',
      auth: 'read',
      params: WorkspaceParams,
      handler: async ({ params, role }) => ({ ...(await rt.identity.workspace(params.workspaceId)), role }),
    }),
    defineRoute({
      method: 'patch',
      path: '/workspaces/:workspaceId',
      summary: 'Rename a workspace',
      tag: 'workspaces',
      auth: 'admin',
      params: WorkspaceParams,
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      handler: async ({ params, body }) => {
        await rt.identity.renameWorkspace(params.workspaceId, body.name);
        return rt.identity.workspace(params.workspaceId);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/workspaces/:workspaceId',
      summary: 'Delete a workspace and everything in it',
      tag: 'workspaces',
      auth: 'owner',
      params: WorkspaceParams,
      handler: async ({ params }) => {
        await rt.identity.deleteWorkspace(params.workspaceId);
        await rt.webhooks.load();
        rt.scheduler.forgetWorkspace(params.workspaceId);
        await rt.events.forgetWorkspace(params.workspaceId);
        await rt.deliveries.deleteWorkspace(params.workspaceId);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/members',
      summary: 'Members and their roles',
      tag: 'members',
      scope: 'members',
      auth: 'read',
      params: WorkspaceParams,
      handler: async ({ params }) => ({ items: await rt.identity.members(params.workspaceId) }),
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/invites',
      summary: 'Invite someone: returns a one-time sign-up link (valid 7 days)',
      tag: 'members',
      scope: 'members',
      auth: 'admin',
      status: 201,
      params: WorkspaceParams,
      body: Type.Object(
        { email: Type.Optional(Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 320 })), role: RoleSchema },
        { additionalProperties: false },
      ),
      handler: async ({ params, body, role }) => {
        if (!atLeast(role, body.role))
          throw new ProblemError(403, 'role-too-high', `A ${role} cannot invite a ${body.role}`);
        const token = await rt.sessions.createSignupToken({
          workspaceId: params.workspaceId,
          role: body.role,
          ttlSec: 7 * 86400,
          ...(body.email ? { email: body.email } : {}),
        });
        return { token, url: `${rt.config.publicUrl}/signup?token=${token}`, role: body.role };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/workspaces/:workspaceId/members/:userId',
      summary: 'Change a member’s role',
      tag: 'members',
      scope: 'members',
      auth: 'admin',
      params: MemberParams,
      body: Type.Object({ role: RoleSchema }, { additionalProperties: false }),
      handler: async ({ params, body, role }) => {
        const current = await rt.identity.roleOf(params.workspaceId, params.userId);
        if (!current) throw new ProblemError(404, 'member-not-found', `User "${params.userId}" is not a member`);
        if (!atLeast(role, body.role) || !atLeast(role, current))
          throw new ProblemError(403, 'role-too-high', `A ${role} cannot change a ${current} to ${body.role}`);
        if (current === 'owner' && body.role !== 'owner' && (await rt.identity.countOwners(params.workspaceId)) <= 1) {
          throw new ProblemError(409, 'last-owner', 'A workspace needs at least one owner');
        }
        await rt.identity.setMember(params.workspaceId, params.userId, body.role);
        return { userId: params.userId, role: body.role };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/workspaces/:workspaceId/members/:userId',
      summary: 'Remove a member',
      tag: 'members',
      scope: 'members',
      auth: 'admin',
      params: MemberParams,
      handler: async ({ params, role }) => {
        const current = await rt.identity.roleOf(params.workspaceId, params.userId);
        if (!current) throw new ProblemError(404, 'member-not-found', `User "${params.userId}" is not a member`);
        if (!atLeast(role, current))
          throw new ProblemError(403, 'role-too-high', `A ${role} cannot remove a ${current}`);
        if (current === 'owner' && (await rt.identity.countOwners(params.workspaceId)) <= 1)
          throw new ProblemError(409, 'last-owner', 'A workspace needs at least one owner');
        await rt.identity.removeMember(params.workspaceId, params.userId);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/api-keys',
      summary: 'API keys (prefix, scopes, expiry, last use; never the secret)',
      tag: 'api-keys',
      scope: 'api-keys',
      auth: 'admin',
      params: WorkspaceParams,
      handler: async ({ params }) => ({ items: await rt.apiKeys.list(params.workspaceId) }),
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/api-keys',
      summary: 'Create an API key; the secret is shown once',
      tag: 'api-keys',
      scope: 'api-keys',
      auth: 'admin',
      status: 201,
      params: WorkspaceParams,
      body: Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 200 }),
          role: Type.Optional(RoleSchema),
          scopes: Type.Optional(Type.Array(Scope, { maxItems: 50 })),
          expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
        },
        { additionalProperties: false },
      ),
      handler: async ({ params, body, principal, role }) => {
        // An API key would not carry an embed token's connector allow-list.
        if (principal.kind === 'user' && principal.scope?.connectors)
          throw new ProblemError(403, 'embed-session', 'A session limited to some connectors cannot create API keys');
        const keyRole = body.role ?? 'operator';
        if (!atLeast(role, keyRole))
          throw new ProblemError(403, 'role-too-high', `A ${role} cannot create a ${keyRole} key`);
        const { key, info } = await rt.apiKeys.create({
          workspaceId: params.workspaceId,
          userId: principal.userId,
          name: body.name,
          role: keyRole,
          scopes: body.scopes ?? ['*'],
          expiresAt: body.expiresInDays ? Date.now() + body.expiresInDays * 86_400_000 : null,
        });
        return { key, ...info };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/workspaces/:workspaceId/api-keys/:keyId',
      summary: 'Revoke an API key',
      tag: 'api-keys',
      scope: 'api-keys',
      auth: 'admin',
      params: KeyParams,
      handler: async ({ params }) => {
        if (!(await rt.apiKeys.revoke(params.workspaceId, params.keyId)))
          throw new ProblemError(404, 'api-key-not-found', `API key "${params.keyId}" not found`);
        return undefined;
      },
    }),
  ];
}

/** Adds each workspace's data-residency region when the host has regions (`WEFT_REGIONS`). */
async function withRegions<T extends { id: string }>(
  rt: HostRuntime,
  items: T[],
): Promise<Array<T & { region?: string }>> {
  const residency = rt.residency;
  if (!residency) return items;
  return Promise.all(
    items.map(async (w) => {
      const region = await residency.regionOf(w.id);
      return region ? { ...w, region } : w;
    }),
  );
}
