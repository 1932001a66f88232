/**
 * How the host reaches scaled-out Postgres and Redis (`WEFT_REDIS_CLUSTER`,
 * `WEFT_DATABASE_READ_URL`, `WEFT_DATABASE_DIRECT_URL`); all optional.
 *
 * @example
 * ```ts
 * const settings: ScaleOutSettings = {
 *   redisCluster: true, // WEFT_REDIS_URL=redis://10.0.0.1:6379,redis://10.0.0.2:6379
 *   databaseReadUrl: 'postgres://weft@replica:5432/weft',
 *   databaseDirectUrl: 'postgres://weft@primary:5432/weft', // WEFT_DATABASE_URL goes through PgBouncer
 * };
 * ```
 */
export interface ScaleOutSettings {
  /** `WEFT_REDIS_URL` names seed nodes of a Redis Cluster (comma-separated `redis://` URLs). */
  redisCluster?: boolean;
  /** A streaming replica of `WEFT_DATABASE_URL`: analytics and execution search read there (read-your-writes kept). */
  databaseReadUrl?: string;
  /**
   * The primary without a transaction pooler, for what needs a session: LISTEN/NOTIFY, session
   * advisory locks. Set it when `WEFT_DATABASE_URL` goes through PgBouncer in transaction mode.
   */
  databaseDirectUrl?: string;
}

type Read = (name: string, fallback?: string) => string | undefined;
type ReadBool = (name: string, fallback: boolean) => boolean;

/**
 * Reads and validates the {@link ScaleOutSettings}; problems name the variable and what is wrong.
 *
 * @example
 * ```ts
 * const scaleOut = scaleOutSettings(str, bool, { databaseUrl, redisUrl }, problems);
 * ```
 */
export function scaleOutSettings(
  str: Read,
  bool: ReadBool,
  given: { databaseUrl: string; redisUrl?: string | undefined },
  problems: string[],
): ScaleOutSettings {
  const out: ScaleOutSettings = {};
  const redisCluster = bool('WEFT_REDIS_CLUSTER', false);
  if (redisCluster) {
    if (!given.redisUrl) problems.push('WEFT_REDIS_CLUSTER needs WEFT_REDIS_URL naming at least one cluster node');
    for (const seed of redisSeeds(given.redisUrl ?? '')) {
      if (!/^rediss?:\/\/[^/,]+/.test(seed))
        problems.push(`WEFT_REDIS_URL entry "${redact(seed)}" must be a redis:// or rediss:// URL of a cluster node`);
    }
    out.redisCluster = true;
  } else if (given.redisUrl?.includes(',')) {
    problems.push('WEFT_REDIS_URL lists several servers: set WEFT_REDIS_CLUSTER=1 for a Redis Cluster');
  }
  const isPg = /^postgres(ql)?:\/\//.test(given.databaseUrl);
  for (const [name, key] of [
    ['WEFT_DATABASE_READ_URL', 'databaseReadUrl'],
    ['WEFT_DATABASE_DIRECT_URL', 'databaseDirectUrl'],
  ] as const) {
    const url = str(name);
    if (url === undefined) continue;
    if (!/^postgres(ql)?:\/\//.test(url)) problems.push(`${name} must start with postgres://, got "${redact(url)}"`);
    else if (!isPg) problems.push(`${name} needs WEFT_DATABASE_URL to be a postgres:// URL too`);
    else out[key] = url;
  }
  return out;
}

/** The comma-separated URLs of `WEFT_REDIS_URL`, trimmed. */
export function redisSeeds(redisUrl: string): string[] {
  return redisUrl
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/**
 * The URL for work that needs a database session (session advisory locks, LISTEN, pg_dump):
 * `WEFT_DATABASE_DIRECT_URL` when set (the database URL then goes through a transaction pooler),
 * else `WEFT_DATABASE_URL`.
 *
 * @example
 * ```ts
 * const client = new pg.Client({ connectionString: sessionDatabaseUrl(config) });
 * ```
 */
export function sessionDatabaseUrl(config: { databaseUrl: string; databaseDirectUrl?: string | undefined }): string {
  return config.databaseDirectUrl ?? config.databaseUrl;
}
