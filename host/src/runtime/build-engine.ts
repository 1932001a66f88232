import type { CredentialVault } from '@weft/connectors';
import {
  type AnyNodeType,
  type BlobStore,
  type ExecutionStore,
  type JobQueue,
  type Logger,
  NodeRegistry,
  WorkflowEngine,
} from '@weft/engine';
import { IsolateSandbox } from '@weft/sandbox';
import type { SqlStorage } from '@weft/sql';
import type { HostConfig } from '../config/load-config.js';

/** What {@link buildEngine} returns: the engine and the registry and sandbox it runs with. */
export interface BuiltEngine {
  engine: WorkflowEngine;
  registry: NodeRegistry;
  sandbox: IsolateSandbox;
}

/**
 * The workflow engine over the storage's stores and the given queue, with a registry of the
 * host's node types, a pool of isolates (one per worker slot, at most 4) and the environment
 * variables named in `envAllow`.
 *
 * @example
 * ```ts
 * const { engine, sandbox } = buildEngine({ config, storage, queue, vault, logger, nodeTypes: hostNodeTypes() });
 * await sandbox.close();
 * ```
 */
export function buildEngine(options: {
  config: Pick<HostConfig, 'workerConcurrency' | 'sandboxDispatch' | 'envAllow'>;
  /** The SQL workflow store, and the execution store (the SQL one, possibly wrapped: subject sealing). */
  storage: { workflows: SqlStorage['workflows']; executions: ExecutionStore };
  queue: JobQueue;
  vault: CredentialVault;
  logger: Logger;
  nodeTypes: AnyNodeType[];
  /** Where nodes keep files (`ctx.blobs`: the code node's files). */
  blobs?: BlobStore;
}): BuiltEngine {
  const { config } = options;
  const registry = new NodeRegistry().register(...options.nodeTypes);
  const sandbox = new IsolateSandbox({
    size: Math.max(1, Math.min(4, config.workerConcurrency)),
    dispatch: config.sandboxDispatch,
  });
  const env: Record<string, string> = {};
  for (const name of config.envAllow) if (process.env[name] !== undefined) env[name] = process.env[name] as string;
  const engine = new WorkflowEngine({
    registry,
    sandbox,
    workflows: options.storage.workflows,
    executions: options.storage.executions,
    queue: options.queue,
    credentials: options.vault,
    logger: options.logger,
    env,
    ...(options.blobs ? { blobs: options.blobs } : {}),
  });
  return { engine, registry, sandbox };
}
