import type { ExecutionMode } from '../model/execution.js';
import type { Item } from '../model/item.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { CodeSandbox, SandboxLimits } from '../ports/code-sandbox.js';
import type { CredentialResolver } from '../ports/credential-resolver.js';
import type { ExecutionStore } from '../ports/execution-store.js';
import type { Logger } from '../ports/logger.js';
import type { JobQueue } from '../ports/queue.js';
import type { WorkflowStore } from '../ports/workflow-store.js';
import type { CheckpointBufferLimits } from './checkpoint-buffer.js';
import type { DebugOptions } from './engine-deps.js';
import type { ExecutionLimits } from './execution-limits.js';
import type { TraceCarrier } from './execution-tracing.js';

/** Ports and settings of an engine; every one has an in-memory default. */
export interface EngineOptions {
  registry?: NodeRegistry;
  sandbox?: CodeSandbox;
  sandboxLimits?: Partial<SandboxLimits>;
  workflows?: WorkflowStore;
  executions?: ExecutionStore;
  queue?: JobQueue;
  /** Blob store nodes use for binary data (`ctx.blobs`). */
  blobs?: BlobStore;
  clock?: Clock;
  credentials?: CredentialResolver;
  logger?: Logger;
  /** The only variables `$env` exposes. */
  env?: Record<string, string>;
  limits?: Partial<ExecutionLimits>;
  /**
   * How long checkpoints of pure nodes may be held before they are written (see
   * {@link CheckpointBuffer}); `{ maxRuns: 1 }` writes every node run on its own.
   */
  checkpoints?: Partial<CheckpointBufferLimits>;
  /** Random source for retry jitter (tests pass a fixed one). */
  random?: () => number;
  newId?: () => string;
}

/** Options of one execution. */
export interface ExecuteOptions extends DebugOptions {
  workspaceId?: string;
  /** Items delivered to the trigger (default: one empty item). */
  input?: Item[];
  mode?: ExecutionMode;
  signal?: AbortSignal;
  /** A second execute with the same key in the same workspace returns the first execution. */
  idempotencyKey?: string;
  executionId?: string;
  /** Start from this trigger node (by id) when the workflow has several. */
  startNodeId?: string;
  /** The execution this one retries or replays. */
  parentExecutionId?: string;
  /**
   * W3C trace context (`traceparent`) of what started the execution, e.g. the webhook request's
   * server span: the execution span becomes its child. Default: the active OpenTelemetry context.
   */
  traceContext?: TraceCarrier;
  /**
   * Called once the execution's record is stored, before its first node runs (with
   * `duplicate: true` when an idempotency key matched an earlier execution): lets a caller answer
   * "accepted" only for an execution that survives a crash.
   *
   * @example
   * ```ts
   * engine.execute(workflow, { onCreated: (id) => res.status(202).json({ executionId: id }) });
   * ```
   */
  onCreated?: (executionId: string, duplicate: boolean) => void;
}
