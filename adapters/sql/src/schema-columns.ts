/**
 * A JSON column: text holding JSON on SQLite, `jsonb` on Postgres. Written as a JSON string;
 * read back with {@link decodeJson}, which parses it on SQLite and passes Postgres' value through.
 */
export type JsonColumn = unknown;

/** An epoch-milliseconds column (`bigint` on Postgres, which the pg driver returns as a string). */
export type MillisColumn = number | string;
