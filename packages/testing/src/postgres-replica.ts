import { join } from 'node:path';
import {
  findBinary,
  freePort,
  type LocalProcess,
  postgresBinDirs,
  type RunAs,
  runCommand,
  startProcess,
  tempDir,
  unprivilegedUser,
  waitUntil,
} from './local-server.js';

/** A primary and its streaming replica started by {@link startPostgresWithReplica}. */
export interface LocalPostgresPair {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` of the primary (trust auth). */
  primaryUrl: string;
  /** The hot-standby replica, fed by streaming replication from the primary. */
  replicaUrl: string;
  /** Stops both servers and deletes their data directories. */
  stop(): Promise<void>;
}

/** Debian's `postgres` server binary (newest installed version), or undefined. */
export const postgresServerBinary = findBinary('postgres', postgresBinDirs());

const SETTINGS = [
  ['listen_addresses', '127.0.0.1'],
  ['fsync', 'off'],
  ['synchronous_commit', 'off'],
  ['full_page_writes', 'off'],
  ['wal_level', 'replica'],
  ['max_wal_senders', '4'],
  ['max_connections', '200'],
  ['hot_standby', 'on'],
  ['shared_buffers', '32MB'],
] as const;

/**
 * Starts a throw-away Postgres primary (`initdb` in a temp dir, trust auth on loopback, durability
 * off for speed) on a free port, takes `pg_basebackup -R -X stream` of it into a second temp dir
 * and starts that as a hot-standby replica on another free port. Under root both servers run as
 * the `postgres` user (Postgres refuses root). Resolves once the replica accepts queries and has
 * streamed a marker row from the primary.
 *
 * @example
 * ```ts
 * const pair = await startPostgresWithReplica();
 * const storage = await createPostgresStorage({ connectionString: pair.primaryUrl, readConnectionString: pair.replicaUrl });
 * await pair.stop();
 * ```
 */
export async function startPostgresWithReplica(): Promise<LocalPostgresPair> {
  const dirs = postgresBinDirs();
  const bin = (name: string) => {
    const path = findBinary(name, dirs);
    if (!path) throw new Error(`startPostgresWithReplica: ${name} is not installed (apt-get install postgresql)`);
    return path;
  };
  const user = await unprivilegedUser();
  const root = tempDir('weft-pg-pair-', user);
  const processes: LocalProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    root.remove();
  };
  try {
    const primaryDir = join(root.path, 'primary');
    const replicaDir = join(root.path, 'replica');
    const [primaryPort, replicaPort] = [await freePort(), await freePort()];
    await runCommand(
      bin('initdb'),
      ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
      user,
    );
    const primary = startServer(bin('postgres'), primaryDir, primaryPort, root.path, user);
    processes.push(primary);
    const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/postgres`;
    await waitReady(bin('psql'), primaryPort, primary, user);
    await runCommand(
      bin('pg_basebackup'),
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(primaryPort),
        '-U',
        'postgres',
        '-D',
        replicaDir,
        '-R',
        '-X',
        'stream',
        '--no-sync',
      ],
      user,
    );
    const replica = startServer(bin('postgres'), replicaDir, replicaPort, root.path, user);
    processes.push(replica);
    await waitReady(bin('psql'), replicaPort, replica, user);
    const psql = (port: number, sql: string) =>
      runCommand(bin('psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-Atc', sql], user);
    await psql(
      primaryPort,
      'create table weft_replica_probe (at timestamptz); insert into weft_replica_probe values (now())',
    );
    await waitUntil(
      'the replica streamed the probe row',
      async () => (await psql(replicaPort, 'select count(*) from weft_replica_probe')).trim() === '1',
    );
    await psql(primaryPort, 'drop table weft_replica_probe');
    return { primaryUrl, replicaUrl: `postgres://postgres@127.0.0.1:${replicaPort}/postgres`, stop };
  } catch (error) {
    const logs = processes.map((p) => p.output()).join('\n');
    await stop();
    throw new Error(`startPostgresWithReplica: ${(error as Error).message}\n${logs.slice(-4000)}`, { cause: error });
  }
}

function startServer(postgres: string, dataDir: string, port: number, socketDir: string, user?: RunAs): LocalProcess {
  const settings = SETTINGS.flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  return startProcess(postgres, ['-D', dataDir, '-p', String(port), '-k', socketDir, ...settings], { user });
}

async function waitReady(psql: string, port: number, server: LocalProcess, user?: RunAs): Promise<void> {
  await waitUntil(`postgres on port ${port} accepts connections`, async () => {
    if (server.child.exitCode !== null) throw new Error(`it exited: ${server.output()}`);
    return (
      (
        await runCommand(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-Atc', 'select 1'], user)
      ).trim() === '1'
    );
  });
}
