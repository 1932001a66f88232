import {
  findBinary,
  freePort,
  type LocalProcess,
  runCommand,
  startProcess,
  tempDir,
  waitUntil,
} from './local-server.js';

/** A Redis Cluster started by {@link startRedisCluster}. */
export interface LocalRedisCluster {
  /** The masters' addresses, e.g. `[{ host: '127.0.0.1', port: 40123 }, ...]` (ioredis `Cluster` seed nodes). */
  nodes: { host: string; port: number }[];
  /** The same as `redis://` URLs. */
  urls: string[];
  /** Stops every node and deletes its files. */
  stop(): Promise<void>;
}

/** `redis-server` on `PATH`, or undefined (pass to `localBinaryGate`). */
export const redisServerBinary = findBinary('redis-server');

/**
 * Starts a Redis Cluster of `masters` (default 3) nodes from Debian's `redis-server`, each on a
 * free loopback port with its files in a temp dir, joins them with
 * `redis-cli --cluster create … --cluster-yes` (slots split evenly, no replicas) and waits until
 * every node reports `cluster_state:ok`. Nothing is persisted.
 *
 * @example
 * ```ts
 * const cluster = await startRedisCluster();
 * const redis = new Cluster(cluster.nodes);
 * // ...
 * redis.disconnect();
 * await cluster.stop();
 * ```
 */
export async function startRedisCluster(options: { masters?: number } = {}): Promise<LocalRedisCluster> {
  const masters = options.masters ?? 3;
  if (masters < 3) throw new RangeError(`startRedisCluster: Redis Cluster needs at least 3 masters, got ${masters}`);
  const server = redisServerBinary;
  const cli = findBinary('redis-cli');
  if (!server || !cli) throw new Error('startRedisCluster: redis-server and redis-cli must be installed');
  const dir = tempDir('weft-redis-cluster-');
  const processes: LocalProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    dir.remove();
  };
  try {
    const ports: number[] = [];
    for (let i = 0; i < masters; i++) ports.push(await freePort());
    for (const port of ports) {
      processes.push(
        startProcess(server, [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          '5000',
          '--dir',
          dir.path,
          '--save',
          '',
          '--appendonly',
          'no',
          '--protected-mode',
          'no',
        ]),
      );
    }
    const cliAt = (port: number, ...args: string[]) =>
      runCommand(cli, ['-h', '127.0.0.1', '-p', String(port), ...args]);
    for (const [i, port] of ports.entries()) {
      await waitUntil(`redis-server on port ${port} answers PING`, async () => {
        if (processes[i]?.child.exitCode !== null) throw new Error(`it exited: ${processes[i]?.output()}`);
        return (await cliAt(port, 'PING')).trim() === 'PONG';
      });
    }
    await runCommand(cli, [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports) {
      await waitUntil(`node ${port} reports cluster_state:ok`, async () =>
        (await cliAt(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'),
      );
    }
    const nodes = ports.map((port) => ({ host: '127.0.0.1', port }));
    return { nodes, urls: nodes.map((n) => `redis://${n.host}:${n.port}`), stop };
  } catch (error) {
    const logs = processes.map((p) => p.output()).join('\n');
    await stop();
    throw new Error(`startRedisCluster: ${(error as Error).message}\n${logs.slice(-4000)}`, { cause: error });
  }
}
