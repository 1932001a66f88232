import { jsonColumnText, type MillisColumn, unwrapJson, type WeftDatabase } from '@weft/sql';
import type { Kysely } from 'kysely';

/** Columns migration 2 (`hostTables`) adds to `users`. */
export interface HostUsersTable {
  id: string;
  email: string;
  name: string | null;
  password_hash: string | null;
  created_at: MillisColumn;
  totp_secret: string | null;
  totp_enabled: number;
  recovery_codes: unknown;
}

/** Credentials with the vault's envelope columns. */
export interface HostCredentialsTable {
  id: string;
  workspace_id: string;
  name: string;
  type: string;
  ciphertext: string;
  key_id: string;
  iv: string;
  tag: string;
  status: string;
  status_reason: string | null;
  created_at: MillisColumn;
  updated_at: MillisColumn;
}

/** Tables of `hostTables` and the host's view of the shared ones. */
export interface HostDatabase extends Omit<WeftDatabase, 'users' | 'credentials'> {
  users: HostUsersTable;
  credentials: HostCredentialsTable;
  data_keys: {
    id: string;
    workspace_id: string;
    master_key_id: string;
    iv: string;
    tag: string;
    wrapped_key: string;
    created_at: MillisColumn;
  };
  api_keys: {
    id: string;
    workspace_id: string;
    user_id: string;
    name: string;
    prefix: string;
    hash: string;
    role: string;
    scopes: unknown;
    expires_at: MillisColumn | null;
    last_used_at: MillisColumn | null;
    revoked_at: MillisColumn | null;
    created_at: MillisColumn;
  };
  sessions: {
    id: string;
    user_id: string;
    refresh_hash: string;
    expires_at: MillisColumn;
    revoked_at: MillisColumn | null;
    created_at: MillisColumn;
  };
  signup_tokens: {
    hash: string;
    workspace_id: string | null;
    email: string | null;
    role: string;
    expires_at: MillisColumn;
    used_at: MillisColumn | null;
    created_at: MillisColumn;
  };
}

/** The kysely instance the host's stores use, with the dialect for JSON decoding. */
export interface HostDb {
  db: Kysely<HostDatabase>;
  dialect: 'sqlite' | 'postgres';
  /** The better-sqlite3 connection on SQLite, for prepared statements on hot paths. */
  sqlite?: { prepare(sql: string): { all(...params: unknown[]): unknown[] } };
}

/**
 * Encodes a value for a JSON column (text on SQLite, jsonb on Postgres: both take a JSON string).
 * A document jsonb would refuse (NUL characters, unpaired surrogates) is kept as
 * {@link jsonColumnText} describes.
 */
export const toJson = (value: unknown): string => jsonColumnText(JSON.stringify(value));

/** Decodes a JSON column. */
export function fromJson<T>(value: unknown): T {
  return unwrapJson(typeof value === 'string' ? JSON.parse(value) : value) as T;
}
