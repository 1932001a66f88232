import { GraphQLError } from 'graphql/index.js';
import { allows, type Permission, type Role } from '../auth/roles.js';
import { roleIn, scopeAllows } from '../http/mount-routes.js';
import type { Principal } from '../http/principal.js';
import { ProblemError } from '../http/problem.js';
import { ResidentIdentityStore } from '../residency/resident-identity.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

/**
 * An error whose message is meant for the client; every other error is masked as
 * `Internal server error` before it leaves the host.
 *
 * @example
 * ```ts
 * throw new PublicGraphqlError('Workspace "ws9" not found', 'NOT_FOUND');
 * ```
 */
export class PublicGraphqlError extends GraphQLError {
  constructor(message: string, code: string) {
    super(message, { extensions: { code } });
  }
}

/**
 * What every resolver gets: the runtime and the authenticated caller, and the same checks REST
 * routes make (workspace membership — a stranger's workspace is "not found" —, role permission,
 * API-key scope). A workspace's data is read through {@link GraphqlContext.home}: with
 * `WEFT_REGIONS` that is its region's runtime (ADR 0014), never the control database.
 *
 * @example
 * ```ts
 * const ctx = new GraphqlContext(runtime, principal);
 * await ctx.allow('ws1', 'read', 'workflows'); // throws NOT_FOUND or FORBIDDEN
 * const workflows = await (await ctx.home('ws1')).engine.workflows.list('ws1');
 * ```
 */
export class GraphqlContext {
  // graphql-http wants a record-shaped context.
  [key: PropertyKey]: unknown;
  readonly #roles = new Map<string, Promise<Role | undefined>>();
  readonly #charged = new Map<string, Promise<void>>();

  constructor(
    readonly rt: HostRuntime,
    readonly principal: Principal,
  ) {}

  /** The caller's role in a workspace (cached per operation), or undefined when not a member. */
  role(workspaceId: string): Promise<Role | undefined> {
    let r = this.#roles.get(workspaceId);
    if (!r) {
      r = roleIn(this.rt, this.principal, workspaceId);
      this.#roles.set(workspaceId, r);
    }
    return r;
  }

  /**
   * Throws unless the caller may do `permission` on `scope` resources in the workspace. The first
   * check of a workspace in an operation counts against its rate limit, as one REST request does.
   */
  async allow(workspaceId: string, permission: Permission, scope: string): Promise<Role> {
    const role = await this.role(workspaceId);
    if (!role) throw new PublicGraphqlError(`Workspace "${workspaceId}" not found`, 'NOT_FOUND');
    await this.#charge(workspaceId);
    if (!allows(role, permission))
      throw new PublicGraphqlError(`Role ${role} cannot do this; it needs ${permission} permission`, 'FORBIDDEN');
    const p = this.principal;
    if (p.kind === 'apiKey' && !scopeAllows(p.key.scopes, scope, permission !== 'read'))
      throw new PublicGraphqlError(
        `The API key lacks scope ${scope}:${permission === 'read' ? 'read' : 'write'}`,
        'FORBIDDEN',
      );
    return role;
  }

  /**
   * The runtime holding a workspace's data: its region's with `WEFT_REGIONS`, else this one.
   * A workspace without a region or in a region this host does not serve is refused by name, and
   * so is another region's workspace on a region-bound endpoint (`/regions/<name>/api/graphql`).
   */
  async home(workspaceId: string): Promise<HostRuntime> {
    const residency = this.rt.residency;
    const identity = this.rt.identity;
    if (!residency && identity instanceof ResidentIdentityStore && !identity.listAll) {
      const home = await identity.regions.regionOf(workspaceId);
      if (home !== identity.region)
        throw new PublicGraphqlError(
          `Workspace ${workspaceId} lives in region "${home}"; this endpoint serves region "${identity.region}" and does not hold or forward its data`,
          'WRONG_REGION',
        );
    }
    if (!residency) return this.rt;
    try {
      return await residency.runtimeOf(workspaceId);
    } catch (e) {
      if (e instanceof ProblemError) throw new PublicGraphqlError(e.message, e.code.toUpperCase().replace(/-/g, '_'));
      throw e;
    }
  }

  #charge(workspaceId: string): Promise<void> {
    let c = this.#charged.get(workspaceId);
    if (!c) {
      const limit = this.rt.config.rateLimitPerWorkspace;
      c = this.rt.rateLimiter.consume(`ws:${workspaceId}`, { limit, windowMs: 3_600_000 }).then((r) => {
        if (!r.allowed)
          throw new PublicGraphqlError(
            `Rate limit of ${limit} requests per hour for workspace "${workspaceId}" reached; retry in ${Math.ceil(r.retryAfterMs / 1000)} s`,
            'RATE_LIMITED',
          );
      });
      this.#charged.set(workspaceId, c);
    }
    return c;
  }
}
