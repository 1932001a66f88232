import { randomUUID } from 'node:crypto';
import { millis } from '../sql-dialect.js';
import { fromJson, type HostDb, toJson } from './host-database.js';
import type { Role } from './roles.js';

/** A user as the API shows it (never the password hash or TOTP secret). */
export interface User {
  id: string;
  email: string;
  name: string | null;
  mfaEnabled: boolean;
  createdAt: number;
}

/** A user row with its secrets, for authentication only. */
export interface UserSecrets extends User {
  passwordHash: string | null;
  totpSecret: string | null;
  recoveryCodes: string[];
}

/** A workspace and the caller's role in it. */
export interface Workspace {
  id: string;
  name: string;
  createdAt: number;
}

/** One member of a workspace. */
export interface Member {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: number;
}

/**
 * Users, workspaces and memberships in the shared SQL database. Every membership query is scoped
 * by workspace id.
 *
 * @example
 * ```ts
 * const store = new IdentityStore({ db, dialect: 'sqlite' });
 * const user = await store.createUser({ email: 'ada@example.com', passwordHash });
 * ```
 */
export class IdentityStore {
  constructor(readonly h: HostDb) {}

  async countUsers(): Promise<number> {
    const r = await this.h.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async createUser(input: { email: string; name?: string | null; passwordHash: string | null }): Promise<User> {
    const now = Date.now();
    const id = randomUUID();
    await this.h.db
      .insertInto('users')
      .values({
        id,
        email: input.email.toLowerCase(),
        name: input.name ?? null,
        password_hash: input.passwordHash,
        created_at: now,
        totp_secret: null,
        totp_enabled: 0,
        recovery_codes: null,
      })
      .execute();
    return { id, email: input.email.toLowerCase(), name: input.name ?? null, mfaEnabled: false, createdAt: now };
  }

  async userByEmail(email: string): Promise<UserSecrets | undefined> {
    const r = await this.h.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
    return r && this.#secrets(r);
  }

  async userById(id: string): Promise<UserSecrets | undefined> {
    const r = await this.h.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r && this.#secrets(r);
  }

  async setPassword(userId: string, passwordHash: string): Promise<void> {
    await this.h.db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
  }

  async setTotp(
    userId: string,
    change: { secret?: string | null; enabled?: boolean; recoveryCodes?: string[] },
  ): Promise<void> {
    await this.h.db
      .updateTable('users')
      .set({
        ...(change.secret !== undefined ? { totp_secret: change.secret } : {}),
        ...(change.enabled !== undefined ? { totp_enabled: change.enabled ? 1 : 0 } : {}),
        ...(change.recoveryCodes ? { recovery_codes: toJson(change.recoveryCodes) } : {}),
      })
      .where('id', '=', userId)
      .execute();
  }

  async createWorkspace(name: string, ownerId: string, id: string = randomUUID()): Promise<Workspace> {
    const now = Date.now();
    await this.h.db.transaction().execute(async (trx) => {
      await trx.insertInto('workspaces').values({ id, name, created_at: now }).execute();
      await trx
        .insertInto('memberships')
        .values({ workspace_id: id, user_id: ownerId, role: 'owner', created_at: now })
        .execute();
    });
    return { id, name, createdAt: now };
  }

  async listWorkspaceIds(): Promise<string[]> {
    return (await this.h.db.selectFrom('workspaces').select('id').execute()).map((r) => r.id);
  }

  async workspacesOf(userId: string): Promise<Array<Workspace & { role: Role }>> {
    const rows = await this.h.db
      .selectFrom('memberships as m')
      .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
      .select(['w.id', 'w.name', 'w.created_at', 'm.role'])
      .where('m.user_id', '=', userId)
      .orderBy('w.created_at')
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: millis(r.created_at), role: r.role as Role }));
  }

  async workspace(id: string): Promise<Workspace | undefined> {
    const r = await this.h.db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
    return r && { id: r.id, name: r.name, createdAt: millis(r.created_at) };
  }

  async renameWorkspace(id: string, name: string): Promise<void> {
    await this.h.db.updateTable('workspaces').set({ name }).where('id', '=', id).execute();
  }

  /** Deletes a workspace and every row it owns (workflows, executions, credentials, keys, routes...). */
  async deleteWorkspace(id: string): Promise<void> {
    await this.h.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('node_runs')
        .where('execution_id', 'in', trx.selectFrom('executions').select('id').where('workspace_id', '=', id))
        .execute();
      for (const table of [
        'executions',
        'workflow_versions',
        'workflows',
        'credentials',
        'data_keys',
        'webhooks',
        'schedules',
        'trigger_state',
        'api_keys',
        'queue_jobs',
        'dead_letters',
        'signup_tokens',
        // Compliance (migration 13): deleting the subject keys shreds whatever sealed payloads remain.
        'scan_runs',
        'compliance_settings',
        'execution_subjects',
        'subject_keys',
        'gdpr_requests',
        // SSO (migration 16): whether members had to sign in through SSO.
        'workspace_sso',
      ] as const) {
        await trx.deleteFrom(table).where('workspace_id', '=', id).execute();
      }
      await trx.deleteFrom('memberships').where('workspace_id', '=', id).execute();
      await trx.deleteFrom('workspaces').where('id', '=', id).execute();
    });
  }

  async roleOf(workspaceId: string, userId: string): Promise<Role | undefined> {
    const r = await this.h.db
      .selectFrom('memberships')
      .select('role')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return r?.role as Role | undefined;
  }

  async members(workspaceId: string): Promise<Member[]> {
    const rows = await this.h.db
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['u.id', 'u.email', 'u.name', 'm.role', 'm.created_at'])
      .where('m.workspace_id', '=', workspaceId)
      .orderBy('m.created_at')
      .execute();
    return rows.map((r) => ({
      userId: r.id,
      email: r.email,
      name: r.name,
      role: r.role as Role,
      createdAt: millis(r.created_at),
    }));
  }

  async setMember(workspaceId: string, userId: string, role: Role): Promise<void> {
    await this.h.db
      .insertInto('memberships')
      .values({ workspace_id: workspaceId, user_id: userId, role, created_at: Date.now() })
      .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doUpdateSet({ role }))
      .execute();
  }

  async removeMember(workspaceId: string, userId: string): Promise<boolean> {
    const r = await this.h.db
      .deleteFrom('memberships')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async countOwners(workspaceId: string): Promise<number> {
    const r = await this.h.db
      .selectFrom('memberships')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('role', '=', 'owner')
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  #secrets(r: {
    id: string;
    email: string;
    name: string | null;
    password_hash: string | null;
    created_at: number | string;
    totp_secret: string | null;
    totp_enabled: number;
    recovery_codes: unknown;
  }): UserSecrets {
    return {
      id: r.id,
      email: r.email,
      name: r.name,
      mfaEnabled: Number(r.totp_enabled) === 1,
      createdAt: millis(r.created_at),
      passwordHash: r.password_hash,
      totpSecret: r.totp_secret,
      recoveryCodes: r.recovery_codes ? fromJson<string[]>(r.recovery_codes) : [],
    };
  }
}

/** Strips secrets from a user row. */
export function publicUser(u: UserSecrets | User): User {
  return { id: u.id, email: u.email, name: u.name, mfaEnabled: u.mfaEnabled, createdAt: u.createdAt };
}
