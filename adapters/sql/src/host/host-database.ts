import type { Kysely } from 'kysely';
import type { WeftDatabase } from '../schema.js';
import { jsonColumnText, unwrapJson } from '../sql-dialect.js';

/** The kysely instance the host's stores use, with the dialect for JSON decoding. */
export interface HostDb {
  db: Kysely<WeftDatabase>;
  dialect: 'sqlite' | 'postgres';
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
