import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { millis } from '../sql-dialect.js';
import type { HostDb } from './host-database.js';
import type { Role } from './roles.js';

/** SHA-256 (hex) of a token: only hashes of refresh tokens, sign-up tokens and API keys are stored. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Refresh-token sessions (rotated on every refresh, revocable) and one-time sign-up tokens, stored
 * as SHA-256 hashes.
 *
 * @example
 * ```ts
 * const { sessionId, refreshToken } = await sessions.create(user.id, 30 * 86400);
 * ```
 */
export class SessionStore {
  constructor(readonly h: HostDb) {}

  async create(userId: string, ttlSec: number): Promise<{ sessionId: string; refreshToken: string }> {
    const sessionId = randomUUID();
    const refreshToken = `wrt_${randomBytes(32).toString('base64url')}`;
    const now = Date.now();
    await this.h.db
      .insertInto('sessions')
      .values({
        id: sessionId,
        user_id: userId,
        refresh_hash: sha256(refreshToken),
        expires_at: now + ttlSec * 1000,
        revoked_at: null,
        created_at: now,
      })
      .execute();
    return { sessionId, refreshToken };
  }

  /** Swaps a valid refresh token for a new one on the same session; undefined when invalid. */
  async rotate(
    refreshToken: string,
    ttlSec: number,
  ): Promise<{ sessionId: string; userId: string; refreshToken: string } | undefined> {
    const now = Date.now();
    const row = await this.h.db
      .selectFrom('sessions')
      .selectAll()
      .where('refresh_hash', '=', sha256(refreshToken))
      .executeTakeFirst();
    if (!row || row.revoked_at !== null || millis(row.expires_at) <= now) return undefined;
    const next = `wrt_${randomBytes(32).toString('base64url')}`;
    const r = await this.h.db
      .updateTable('sessions')
      .set({ refresh_hash: sha256(next), expires_at: now + ttlSec * 1000 })
      .where('id', '=', row.id)
      .where('refresh_hash', '=', sha256(refreshToken))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return undefined;
    return { sessionId: row.id, userId: row.user_id, refreshToken: next };
  }

  async isActive(sessionId: string): Promise<boolean> {
    const row = await this.h.db
      .selectFrom('sessions')
      .select(['revoked_at', 'expires_at'])
      .where('id', '=', sessionId)
      .executeTakeFirst();
    return !!row && row.revoked_at === null && millis(row.expires_at) > Date.now();
  }

  async revoke(sessionId: string): Promise<void> {
    await this.h.db.updateTable('sessions').set({ revoked_at: Date.now() }).where('id', '=', sessionId).execute();
  }

  async revokeAllOf(userId: string): Promise<void> {
    await this.h.db
      .updateTable('sessions')
      .set({ revoked_at: Date.now() })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** A one-time sign-up token: joins `workspaceId` with `role`, or (no workspace) creates the first owner. */
  async createSignupToken(input: {
    workspaceId?: string;
    email?: string;
    role: Role;
    ttlSec: number;
  }): Promise<string> {
    const token = `wsu_${randomBytes(24).toString('base64url')}`;
    const now = Date.now();
    await this.h.db
      .insertInto('signup_tokens')
      .values({
        hash: sha256(token),
        workspace_id: input.workspaceId ?? null,
        email: input.email?.toLowerCase() ?? null,
        role: input.role,
        expires_at: now + input.ttlSec * 1000,
        used_at: null,
        created_at: now,
      })
      .execute();
    return token;
  }

  /** Marks a sign-up token used and returns what it grants; undefined when unknown, used or expired. */
  async consumeSignupToken(
    token: string,
    email?: string,
  ): Promise<{ workspaceId: string | null; email: string | null; role: Role } | undefined | 'email-mismatch'> {
    const hash = sha256(token);
    const now = Date.now();
    const row = await this.h.db.selectFrom('signup_tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
    if (!row || row.used_at !== null || millis(row.expires_at) <= now) return undefined;
    // A wrong email does not burn the invitation.
    if (row.email && email && row.email !== email.toLowerCase()) return 'email-mismatch';
    const r = await this.h.db
      .updateTable('signup_tokens')
      .set({ used_at: now })
      .where('hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return undefined;
    return { workspaceId: row.workspace_id, email: row.email, role: row.role as Role };
  }
}
