// Shared by this package's Redis Cluster tests (excluded from the build): one 3-master cluster per
// test file, started from Debian's redis-server on loopback ports, clients and per-prefix cleanup.
import { type LocalRedisCluster, localBinaryGate, redisServerBinary, startRedisCluster } from '@weft/testing';
import { Cluster, Redis } from 'ioredis';
import { afterAll } from 'vitest';

/** Skips when redis-server is missing, fails instead with WEFT_REQUIRE_SERVICES=1. */
export const clusterGate = localBinaryGate('redis-server', redisServerBinary);

/** Starts the file's cluster (stopped after the file's tests), or undefined when skipped. */
export async function fileCluster(): Promise<LocalRedisCluster | undefined> {
  if (clusterGate.skip) return undefined;
  const cluster = await startRedisCluster({ masters: 3 });
  afterAll(() => cluster.stop());
  return cluster;
}

/** A cluster client named after `prefix` (ioredis `Cluster`, seeded with every master). */
export function connectCluster(cluster: LocalRedisCluster, prefix: string): Cluster {
  const redis = new Cluster(cluster.nodes, { redisOptions: { connectionName: prefix, maxRetriesPerRequest: null } });
  redis.on('error', () => {});
  return redis;
}

/** One plain client per master, e.g. to see on which node keys live. */
export function connectNodes(cluster: LocalRedisCluster): Redis[] {
  return cluster.urls.map((url) => new Redis(url));
}

/** Every key under `prefix`, per master (in `cluster.nodes` order). */
export async function keysPerNode(cluster: LocalRedisCluster, prefix: string): Promise<string[][]> {
  const nodes = connectNodes(cluster);
  try {
    return await Promise.all(
      nodes.map(async (node) => {
        const found: string[] = [];
        let cursor = '0';
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          cursor = next;
          found.push(...keys);
        } while (cursor !== '0');
        return found;
      }),
    );
  } finally {
    for (const n of nodes) n.disconnect();
  }
}

/** Deletes every key under `prefix` on every master and closes the clients. */
export async function cleanupCluster(cluster: LocalRedisCluster, prefix: string, clients: Cluster[]): Promise<void> {
  for (const c of clients) c.disconnect();
  const perNode = await keysPerNode(cluster, prefix);
  const nodes = connectNodes(cluster);
  try {
    // One key per command: keys of different slots may share a node, and DEL of several would be CROSSSLOT.
    await Promise.all(perNode.map((keys, i) => Promise.all(keys.map((k) => nodes[i]?.unlink(k)))));
  } finally {
    for (const n of nodes) n.disconnect();
  }
}
