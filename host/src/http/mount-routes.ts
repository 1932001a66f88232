import { type TObject, Type } from '@sinclair/typebox';
import type { NextFunction, Request, Response, Router } from 'express';
import { allows, atLeast, type Role } from '../auth/roles.js';
import { type AuditLocals, auditRoute } from '../compliance/audit-route.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { authenticate } from './authenticate.js';
import type { Principal } from './principal.js';
import { ProblemError } from './problem.js';
import { applyRateLimit } from './rate-limit.js';
import type { AnyRoute } from './route.js';
import { checkPart } from './validate-request.js';

const EMPTY: TObject = Type.Object({});
const HOUR = 3_600_000;

/** Whether API-key `scopes` allow a read (or `write`) of `scope` resources, e.g. `workflows:read`. */
export function scopeAllows(scopes: string[], scope: string | undefined, write: boolean): boolean {
  if (!scope || scopes.includes('*')) return true;
  return scopes.includes(`${scope}:*`) || scopes.includes(`${scope}:${write ? 'write' : 'read'}`);
}

/** The caller's role in a workspace (an API key's capped by its creator's), or undefined when not a member. */
export async function roleIn(
  runtime: HostRuntime,
  principal: Principal,
  workspaceId: string,
): Promise<Role | undefined> {
  if (principal.kind === 'apiKey') {
    if (principal.key.workspaceId !== workspaceId) return undefined;
    // A key never grants more than its creator still has.
    const creator = await runtime.identity.roleOf(workspaceId, principal.userId);
    if (!creator) return undefined;
    return atLeast(creator, principal.key.role) ? principal.key.role : creator;
  }
  // A session opened with an embed token sees its one workspace only.
  if (principal.scope && principal.scope.workspaceId !== workspaceId) return undefined;
  return runtime.identity.roleOf(workspaceId, principal.userId);
}

/**
 * Mounts routes on an Express router: validates params, query and body against each route's
 * TypeBox schemas (400 naming the field), authenticates, resolves the caller's workspace role
 * (404 when not a member: other tenants' ids reveal nothing; 403 when the role is too low),
 * checks API-key scopes, applies the per-workspace and per-key rate limits, then runs the handler
 * and answers JSON.
 *
 * @example
 * ```ts
 * mountRoutes(router, [listWorkflows, getWorkflow], runtime);
 * ```
 */
export function mountRoutes(router: Router, routes: AnyRoute[], runtime: HostRuntime): void {
  const cfg = runtime.config;
  for (const route of routes) {
    router[route.method](route.path, async (req: Request, res: Response, next: NextFunction) => {
      const leaveAudit = auditRoute(runtime, route, req, res);
      try {
        const params = checkPart<Record<string, string>>('params', route.params ?? EMPTY, req.params);
        let principal: Principal | undefined;
        let role: Role = 'viewer';
        const workspaceId = params.workspaceId;
        if (route.auth !== 'none') {
          principal = await authenticate(runtime, req, { allowQueryToken: !!route.stream });
          (res.locals as AuditLocals).principal = principal;
          if (route.auth !== 'user' && workspaceId !== undefined) {
            const found = await roleIn(runtime, principal, workspaceId);
            if (!found) throw new ProblemError(404, 'workspace-not-found', `Workspace "${workspaceId}" not found`);
            role = found;
            (res.locals as AuditLocals).member = true;
            await applyRateLimit(
              runtime.rateLimiter,
              res,
              'workspace',
              `ws:${workspaceId}`,
              cfg.rateLimitPerWorkspace,
              HOUR,
            );
            if (!allows(role, route.auth)) {
              throw new ProblemError(
                403,
                'forbidden',
                `Role ${role} cannot do this; it needs ${route.auth} permission`,
              );
            }
          }
          if (principal.kind === 'apiKey') {
            await applyRateLimit(
              runtime.rateLimiter,
              res,
              'api-key',
              `key:${principal.key.id}`,
              cfg.rateLimitPerApiKey,
              HOUR,
            );
            if (!scopeAllows(principal.key.scopes, route.scope, route.method !== 'get')) {
              throw new ProblemError(
                403,
                'scope-missing',
                `The API key lacks scope ${route.scope}:${route.method === 'get' ? 'read' : 'write'}`,
              );
            }
          }
        }
        const query = checkPart<Record<string, unknown>>(
          'query',
          stripToken(route.query ?? EMPTY, route.stream),
          req.query,
        );
        let body: unknown;
        if (route.body) {
          const hasBody =
            Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
          if (hasBody && !req.is(['application/json', 'application/*+json'])) {
            throw new ProblemError(415, 'unsupported-media-type', 'Send the request body as application/json', {
              errors: [{ in: 'header', path: 'content-type', message: 'Expected application/json' }],
            });
          }
          body = checkPart('body', route.body, req.body ?? {});
        }
        const result = await route.handler({
          req,
          res,
          params,
          query,
          body,
          principal: principal as Principal,
          workspaceId: workspaceId as string,
          role,
        });
        if (route.stream || res.headersSent) return;
        if (result === undefined) res.status(204).end();
        // A handler may choose its status (e.g. 202 when it did not wait).
        else res.status(res.statusCode !== 200 ? res.statusCode : (route.status ?? 200)).json(result);
      } catch (err) {
        next(err);
      } finally {
        leaveAudit();
      }
    });
  }
}

/** Stream routes accept `access_token` in the query; it is not part of their schema. */
function stripToken(schema: TObject, stream: boolean | undefined): TObject {
  if (!stream) return schema;
  return Type.Object({ ...schema.properties, access_token: Type.Optional(Type.String({ maxLength: 4096 })) });
}
