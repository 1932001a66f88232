import { summariseChanges } from '@weft/compliance';
import type { AuditActor, AuditEntry, AuditOutcome } from '@weft/engine';
import type { Request, Response } from 'express';
import type { Principal } from '../http/principal.js';
import type { AnyRoute } from '../http/route.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { enterRequestAudit, type RequestAudit } from './audited-mutation.js';
import { hostAudit, INSTANCE_AUDIT_CHAIN } from './host-audit.js';
import { routeAuditAction } from './route-audit-action.js';

/** Body fields whose values are worth keeping in a change summary (never secrets). */
const KEEP = ['role', 'active', 'name', 'status', 'enabled'];

/** What `mountRoutes` learns about the caller, kept on `res.locals` for the audit entry. */
export interface AuditLocals {
  principal?: Principal;
  /** Set once the caller's role in the route's workspace is known (they are a member). */
  member?: boolean;
}

/**
 * Whether a request is recorded: every mutation and every read that carries data out (exports),
 * whatever the outcome, and any other read that was refused (401/403).
 */
export function isAudited(route: AnyRoute, status: number): boolean {
  return route.method !== 'get' || /\/export$/.test(route.path) || status === 401 || status === 403;
}

function outcomeOf(status: number): AuditOutcome {
  if (status === 401 || status === 403) return 'denied';
  return status < 400 ? 'success' : 'failure';
}

function actorOf(principal: Principal | undefined, body: unknown): AuditActor {
  if (principal?.kind === 'apiKey') return { type: 'api-key', id: principal.key.id };
  if (principal?.kind === 'user') return { type: principal.scope ? 'embed-user' : 'user', id: principal.userId };
  const email = (body as { email?: unknown } | undefined)?.email;
  return { type: 'anonymous', id: typeof email === 'string' ? email.slice(0, 200) : '' };
}

/**
 * Records one audit entry for an audited request once its response is sent, with the outcome
 * taken from the status code: the one place every mutating route is audited. Workflow and
 * credential writes record their success entry themselves, in the write's transaction
 * ({@link auditedMutation}); the entry after the response is then left out. The entry goes to
 * the route's workspace chain when the caller is a member, else to {@link INSTANCE_AUDIT_CHAIN}
 * (so unauthenticated requests cannot grow other tenants' chains). Returns the function to call
 * once the route's handler has settled, which ends the request's audit context.
 *
 * @example
 * ```ts
 * router.post(route.path, async (req, res, next) => {
 *   const leave = auditRoute(runtime, route, req, res);
 *   try { ... } finally { leave(); }
 * });
 * ```
 */
export function auditRoute(rt: HostRuntime, route: AnyRoute, req: Request, res: Response): () => void {
  // Express restores req.params when an error leaves the route, before the error is answered.
  const params = { ...req.params } as Record<string, string | undefined>;
  // Sign-up and sign-in answer with the session's user: that user, not the email claimed, did it.
  let signedIn: string | undefined;
  if (route.auth === 'none') {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const id = (body as { user?: { id?: unknown } } | null)?.user?.id;
      if (typeof id === 'string') signedIn = id;
      return json(body);
    };
  }
  const entry = (status: number, resourceId?: string | null): AuditEntry => {
    const locals = res.locals as AuditLocals;
    const { action, resourceType, idParam } = routeAuditAction(route.method, route.path);
    const workspaceId = locals.member ? params.workspaceId : undefined;
    const changes = summariseChanges(req.body, KEEP);
    const claimed = !workspaceId && params.workspaceId ? { workspaceId: params.workspaceId.slice(0, 100) } : {};
    const id = resourceId !== undefined ? resourceId : idParam ? params[idParam] : undefined;
    return {
      workspaceId: workspaceId ?? INSTANCE_AUDIT_CHAIN,
      actor: signedIn && status < 400 ? { type: 'user', id: signedIn } : actorOf(locals.principal, req.body),
      action,
      resource: { type: resourceType, id: id == null ? null : id.slice(0, 200) },
      outcome: outcomeOf(status),
      at: Date.now(),
      ip: req.ip ?? null,
      userAgent: req.get('user-agent')?.slice(0, 500) ?? null,
      requestId: (res.getHeader('x-request-id') as string | undefined) ?? null,
      changes: { ...changes, ...claimed, httpStatus: status },
    };
  };
  // A write's entry is sealed before the answer: the success status the route answers with.
  const success = route.status ?? (route.method === 'delete' ? 204 : 200);
  const ctx: RequestAudit = { recorded: 0, entry: (resourceId) => entry(success, resourceId) };
  // Reads write nothing in a transaction with their entry: they need no audit context.
  const leave = route.method === 'get' ? noop : enterRequestAudit(ctx);
  res.once('finish', () => {
    if (!isAudited(route, res.statusCode)) return;
    // Written with the change, in its transaction (auditedMutation): only failures are left to record.
    if (ctx.recorded > 0 && res.statusCode < 400) return;
    hostAudit(rt).record(entry(res.statusCode));
  });
  return leave;
}

const noop = () => {};
