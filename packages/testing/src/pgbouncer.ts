import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  findBinary,
  freePort,
  type LocalProcess,
  postgresBinDirs,
  runCommand,
  startProcess,
  tempDir,
  unprivilegedUser,
  waitUntil,
} from './local-server.js';

/** A PgBouncer started by {@link startPgBouncer}. */
export interface LocalPgBouncer {
  /** Rewrites a URL of the target server to go through the bouncer (same user and database). */
  url(targetUrl: string): string;
  port: number;
  /** What PgBouncer logged, for error messages. */
  output(): string;
  /** Stops PgBouncer and deletes its files. */
  stop(): Promise<void>;
}

/** Debian's `pgbouncer` binary, or undefined (pass to `localBinaryGate`). */
export const pgBouncerBinary = findBinary('pgbouncer');

/**
 * Starts Debian's PgBouncer on a free loopback port in transaction pooling mode in front of the
 * Postgres server of `targetUrl` (any database on it, as the URL's user, trust auth), with its
 * files in a temp dir. Under root it runs as the `postgres` user (PgBouncer refuses root).
 *
 * @example
 * ```ts
 * const bouncer = await startPgBouncer({ targetUrl: 'postgres://postgres@127.0.0.1:5432/postgres' });
 * const pool = new pg.Pool({ connectionString: bouncer.url(databaseUrl) });
 * await bouncer.stop();
 * ```
 */
export async function startPgBouncer(options: { targetUrl: string; poolSize?: number }): Promise<LocalPgBouncer> {
  if (!pgBouncerBinary) throw new Error('startPgBouncer: pgbouncer is not installed (apt-get install pgbouncer)');
  const target = new URL(options.targetUrl);
  const targetUser = decodeURIComponent(target.username || 'postgres');
  const user = await unprivilegedUser();
  const dir = tempDir('weft-pgbouncer-', user);
  const port = await freePort();
  const ini = join(dir.path, 'pgbouncer.ini');
  writeFileSync(join(dir.path, 'users.txt'), `"${targetUser}" ""\n`);
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${target.hostname || '127.0.0.1'} port=${target.port || '5432'} user=${targetUser}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir.path, 'users.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize ?? 10}`,
      'max_client_conn = 500',
      'ignore_startup_parameters = extra_float_digits,options',
      'server_reset_query =',
      '',
    ].join('\n'),
  );
  const bouncer: LocalProcess = startProcess(pgBouncerBinary, [ini], { cwd: dir.path, user });
  const url = (targetUrl: string) => {
    const u = new URL(targetUrl);
    u.hostname = '127.0.0.1';
    u.port = String(port);
    return u.toString();
  };
  const stop = async () => {
    await bouncer.stop();
    dir.remove();
  };
  try {
    const psql = findBinary('psql', postgresBinDirs());
    if (!psql) throw new Error('psql is not installed (apt-get install postgresql-client)');
    await waitUntil(`pgbouncer on port ${port} forwards a query`, async () => {
      if (bouncer.child.exitCode !== null) throw new Error(`it exited: ${bouncer.output()}`);
      return (await runCommand(psql, [url(options.targetUrl), '-Atc', 'select 1'])).trim() === '1';
    });
  } catch (error) {
    const log = bouncer.output();
    await stop();
    throw new Error(`startPgBouncer: ${(error as Error).message}\n${log.slice(-4000)}`, { cause: error });
  }
  return { url, port, output: bouncer.output, stop };
}
