import type { Subject } from 'rxjs';
import type { ExecutionMode } from '../model/execution.js';
import type { Item, PortItems } from '../model/item.js';
import type { Workflow } from '../model/workflow-schema.js';
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
import type { EngineEvent } from './engine-events.js';
import type { ExecutionLimits } from './execution-limits.js';
import type { ExecutionResult } from './execution-result.js';

/** What one execution run needs from its engine. */
export interface EngineDeps {
  registry: NodeRegistry;
  sandbox: CodeSandbox;
  sandboxLimits: SandboxLimits;
  workflows: WorkflowStore;
  executions: ExecutionStore;
  queue: JobQueue;
  blobs: BlobStore | undefined;
  clock: Clock;
  credentials: CredentialResolver | undefined;
  logger: Logger;
  env: Record<string, string>;
  limits: ExecutionLimits;
  checkpoints: CheckpointBufferLimits;
  random: () => number;
  events: Subject<EngineEvent>;
  newId: () => string;
  /** Runs a child workflow (sub-workflow node). */
  runChild(request: {
    workflow: Workflow;
    input: Item[];
    workspaceId: string;
    parentExecutionId: string;
    depth: number;
    signal: AbortSignal;
    mode: ExecutionMode;
  }): Promise<ExecutionResult>;
}

/** Debug options for one run. */
export interface DebugOptions {
  /** Items to use as a node's main output instead of running it. */
  pinData?: Record<string, Item[]>;
  /** Stop after this node (by name) has run. */
  stopAfter?: string;
  /** Nodes' outputs that are not re-computed (by name): used when re-running from a node. */
  reuse?: Record<string, PortItems>;
  /**
   * Step-through: once this many nodes have run in this call (`execute` or `resume`), park the
   * execution as `waiting` with `wait.kind: 'debug'` before the next ready node, instead of
   * running it; `resume()` continues from there. `0` parks before the first node. When no node is
   * left to run the execution completes as usual.
   */
  stepLimit?: number;
  /**
   * Node names or ids to park before (as with {@link DebugOptions.stepLimit}). The first node a
   * call runs never parks on a breakpoint, so resuming from one moves on; use `stepLimit: 0` to
   * park before the very first node.
   */
  breakpoints?: readonly string[];
  /** Store every node's input in its node run, not only the trigger's (debuggers show it). */
  recordInputs?: boolean;
}
