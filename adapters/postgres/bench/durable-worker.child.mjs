// A worker process for durable-workflow.bench.mjs: claims from Redis, checkpoints in Postgres.
import { Worker, WorkflowEngine } from '@weft/engine';
import { RedisQueue } from '@weft/redis';
import { IsolateSandbox } from '@weft/sandbox';
import { Redis } from 'ioredis';
import { createPostgresStorage } from '../dist/index.js';

const [pgUrl, schema, redisUrl, name] = process.argv.slice(2);
const storage = await createPostgresStorage({ connectionString: pgUrl, schema, migrate: false, poolSize: 10 });
const redis = new Redis(redisUrl);
const queue = new RedisQueue({ redis, name });
const sandbox = new IsolateSandbox({ size: 1 });
await sandbox.warmUp(1, 64);
const engine = new WorkflowEngine({ sandbox, executions: storage.executions, workflows: storage.workflows, queue });
const worker = new Worker({ engine, queue, concurrency: 50, idleWaitMs: 50 });
worker.start();
process.send?.('ready');
process.on('SIGTERM', async () => {
  await worker.stop({ drain: false });
  process.exit(0);
});
