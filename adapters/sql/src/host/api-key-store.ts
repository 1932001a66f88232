import { randomBytes, randomUUID } from 'node:crypto';
import { millis } from '../sql-dialect.js';
import { fromJson, type HostDb, toJson } from './host-database.js';
import type { Role } from './roles.js';
import { sha256 } from './session-store.js';

/** An API key as listed: its prefix, never the secret. */
export interface ApiKeyInfo {
  id: string;
  workspaceId: string;
  userId: string;
  name: string;
  prefix: string;
  role: Role;
  scopes: string[];
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
  createdAt: number;
}

/**
 * API keys, stored only as SHA-256 hashes. A key looks like `weft_<prefix>_<secret>`; the prefix is
 * shown in lists so people can tell keys apart.
 *
 * @example
 * ```ts
 * const { key, info } = await keys.create({ workspaceId, userId, name: 'CI', role: 'operator', scopes: ['*'] });
 * const found = await keys.verify(key); // info, or undefined when revoked/expired/unknown
 * ```
 */
export class ApiKeyStore {
  readonly #lastUsedWrites = new Map<string, number>();
  constructor(readonly h: HostDb) {}

  async create(input: {
    workspaceId: string;
    userId: string;
    name: string;
    role: Role;
    scopes: string[];
    expiresAt?: number | null;
  }): Promise<{ key: string; info: ApiKeyInfo }> {
    const prefix = randomBytes(4).toString('hex');
    const key = `weft_${prefix}_${randomBytes(24).toString('base64url')}`;
    const info: ApiKeyInfo = {
      id: randomUUID(),
      workspaceId: input.workspaceId,
      userId: input.userId,
      name: input.name,
      prefix: `weft_${prefix}`,
      role: input.role,
      scopes: input.scopes,
      expiresAt: input.expiresAt ?? null,
      lastUsedAt: null,
      revokedAt: null,
      createdAt: Date.now(),
    };
    await this.h.db
      .insertInto('api_keys')
      .values({
        id: info.id,
        workspace_id: info.workspaceId,
        user_id: info.userId,
        name: info.name,
        prefix: info.prefix,
        hash: sha256(key),
        role: info.role,
        scopes: toJson(info.scopes),
        expires_at: info.expiresAt,
        last_used_at: null,
        revoked_at: null,
        created_at: info.createdAt,
      })
      .execute();
    return { key, info };
  }

  /** The key's record when it is valid now; records its use (at most once a minute per key). */
  async verify(key: string): Promise<ApiKeyInfo | undefined> {
    const row = await this.h.db.selectFrom('api_keys').selectAll().where('hash', '=', sha256(key)).executeTakeFirst();
    if (!row) return undefined;
    const info = this.#info(row);
    const now = Date.now();
    if (info.revokedAt !== null || (info.expiresAt !== null && info.expiresAt <= now)) return undefined;
    if ((this.#lastUsedWrites.get(info.id) ?? 0) < now - 60_000) {
      this.#lastUsedWrites.set(info.id, now);
      await this.h.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', info.id).execute();
      info.lastUsedAt = now;
    }
    return info;
  }

  async list(workspaceId: string): Promise<ApiKeyInfo[]> {
    const rows = await this.h.db
      .selectFrom('api_keys')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => this.#info(r));
  }

  async revoke(workspaceId: string, id: string): Promise<boolean> {
    const r = await this.h.db
      .updateTable('api_keys')
      .set({ revoked_at: Date.now() })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  #info(r: {
    id: string;
    workspace_id: string;
    user_id: string;
    name: string;
    prefix: string;
    role: string;
    scopes: unknown;
    expires_at: number | string | null;
    last_used_at: number | string | null;
    revoked_at: number | string | null;
    created_at: number | string;
  }): ApiKeyInfo {
    return {
      id: r.id,
      workspaceId: r.workspace_id,
      userId: r.user_id,
      name: r.name,
      prefix: r.prefix,
      role: r.role as Role,
      scopes: fromJson<string[]>(r.scopes),
      expiresAt: millis(r.expires_at) ?? null,
      lastUsedAt: millis(r.last_used_at) ?? null,
      revokedAt: millis(r.revoked_at) ?? null,
      createdAt: millis(r.created_at),
    };
  }
}
