import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { MillisColumn, WeftDatabase } from '../schema.js';
import { fromJson, type HostDb, toJson } from './host-database.js';
import type { Role } from './roles.js';

/** Tables of migration 4 (`embedIdentities`). */
interface EmbedTables {
  embed_users: { issuer: string; external_id: string; user_id: string; created_at: MillisColumn };
  embed_workspaces: { issuer: string; external_id: string; workspace_id: string; created_at: MillisColumn };
  embed_sessions: { session_id: string; workspace_id: string; connectors: unknown; created_at: MillisColumn };
}

/** What a session opened with an embed token is limited to. */
export interface SessionScope {
  workspaceId: string;
  /** Connector (credential) types the session may use; undefined: all. */
  connectors?: string[];
}

/** Who an embed token vouches for, as the host provisions it. */
export interface EmbedIdentity {
  issuer: string;
  externalUserId: string;
  externalWorkspaceId: string;
  role: Role;
  email?: string;
  name?: string;
}

/** The host user and workspace an embed identity maps to. */
export interface ProvisionedEmbedUser {
  userId: string;
  workspaceId: string;
  email: string;
  name: string | null;
}

/** A stable host id for an external id of an issuer (same inputs, same id: concurrent first calls agree). */
function hostId(prefix: string, issuer: string, externalId: string): string {
  return `${prefix}${createHash('sha256').update(`${issuer}\0${externalId}`).digest('hex').slice(0, 32)}`;
}

/**
 * Just-in-time provisioning of embedded users and workspaces, keyed by (issuer, external id), and
 * the workspace scope and connector allow-list of sessions opened with embed tokens.
 *
 * Embedded users get a placeholder address under `embed.invalid` (never deliverable, never
 * matched by password or OIDC login): an embedding product cannot take over an existing account by
 * putting its email in a token.
 *
 * @example
 * ```ts
 * const store = new EmbedStore(runtime.h);
 * const { userId, workspaceId } = await store.provision({ issuer, externalUserId: 'u1', externalWorkspaceId: 'acme', role: 'editor' });
 * ```
 */
export class EmbedStore {
  readonly #db: Kysely<WeftDatabase & EmbedTables>;
  constructor(readonly h: HostDb) {
    this.#db = h.db as unknown as Kysely<WeftDatabase & EmbedTables>;
  }

  /**
   * Creates (first call) or finds the workspace and the user, and sets the user's membership to
   * exactly the token's role (an existing membership is raised or lowered to it).
   */
  async provision(who: EmbedIdentity): Promise<ProvisionedEmbedUser> {
    const now = Date.now();
    const workspaceId = hostId('emw-', who.issuer, who.externalWorkspaceId);
    const userId = hostId('emu-', who.issuer, who.externalUserId);
    const email = `${userId}@embed.invalid`;
    const name = who.name ?? who.email ?? who.externalUserId;
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('workspaces')
        .values({ id: workspaceId, name: who.externalWorkspaceId.slice(0, 200), created_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      await trx
        .insertInto('embed_workspaces')
        .values({
          issuer: who.issuer,
          external_id: who.externalWorkspaceId,
          workspace_id: workspaceId,
          created_at: now,
        })
        .onConflict((oc) => oc.columns(['issuer', 'external_id']).doNothing())
        .execute();
      await trx
        .insertInto('users')
        .values({
          id: userId,
          email,
          name,
          password_hash: null,
          created_at: now,
          totp_secret: null,
          totp_enabled: 0,
          recovery_codes: null,
        })
        .onConflict((oc) => oc.column('id').doUpdateSet({ name }))
        .execute();
      await trx
        .insertInto('embed_users')
        .values({ issuer: who.issuer, external_id: who.externalUserId, user_id: userId, created_at: now })
        .onConflict((oc) => oc.columns(['issuer', 'external_id']).doNothing())
        .execute();
      await trx
        .insertInto('memberships')
        .values({ workspace_id: workspaceId, user_id: userId, role: who.role, created_at: now })
        .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doUpdateSet({ role: who.role }))
        .execute();
    });
    return { userId, workspaceId, email, name };
  }

  /** Records the scope of a session opened with an embed token. */
  async scopeSession(sessionId: string, scope: SessionScope): Promise<void> {
    await this.#db
      .insertInto('embed_sessions')
      .values({
        session_id: sessionId,
        workspace_id: scope.workspaceId,
        connectors: scope.connectors ? toJson(scope.connectors) : null,
        created_at: Date.now(),
      })
      .execute();
  }

  /** The scope of a session opened with an embed token; undefined for ordinary sessions. */
  async scopeOf(sessionId: string): Promise<SessionScope | undefined> {
    const r = await this.#db
      .selectFrom('embed_sessions')
      .select(['workspace_id', 'connectors'])
      .where('session_id', '=', sessionId)
      .executeTakeFirst();
    if (!r) return undefined;
    const connectors = r.connectors === null ? undefined : fromJson<string[]>(r.connectors);
    return { workspaceId: r.workspace_id, ...(connectors ? { connectors } : {}) };
  }
}
