import type { PortItems } from './item.js';
import type { JsonValue } from './json.js';

/** Lifecycle of an execution. */
export type ExecutionStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';

/** Why an execution was started. */
export type ExecutionMode =
  | 'manual'
  | 'webhook'
  | 'schedule'
  | 'test'
  | 'debug'
  | 'retry'
  | 'trigger'
  | 'subworkflow'
  | 'error';

/** A serialisable error, safe to store and show. */
export interface ExecutionError {
  message: string;
  /** Stable machine-readable code, e.g. `NODE_TIMEOUT`, `LIMIT_EXCEEDED`. */
  code: string;
  nodeId?: string;
  nodeName?: string;
  /** Extra facts (limit name, attempt, ...). */
  details?: Record<string, JsonValue>;
}

/**
 * What an execution is parked on: a timer, a signal (approval), or a debugger's pause before
 * `nodeId` (see `DebugOptions.stepLimit`), which only an explicit `resume()` continues.
 */
export interface WaitState {
  nodeId: string;
  kind: 'timer' | 'signal' | 'debug';
  /** Epoch ms at which a timer wait resumes. */
  resumeAt?: number;
  /** A debug pause: ids of every node ready to run, in the order they will run (`nodeId` first). */
  next?: string[];
}

/** One stored execution of one workflow version. */
export interface ExecutionRecord {
  id: string;
  workspaceId: string;
  workflowId: string;
  workflowVersion: number;
  status: ExecutionStatus;
  mode: ExecutionMode;
  /** Items the trigger delivered. */
  input: PortItems;
  /** Output items of the last node that ran, once finished. */
  output?: PortItems;
  error?: ExecutionError;
  wait?: WaitState;
  startedAt: number;
  finishedAt?: number;
  /** For retries and replays: the execution this one came from. */
  parentExecutionId?: string;
  idempotencyKey?: string;
  /** Sub-workflow nesting depth (0 for top level). */
  depth: number;
  /** The trigger node that started it, when the workflow has several. */
  startNodeId?: string;
}

/** Fields an update may change. */
export type ExecutionPatch = Partial<Pick<ExecutionRecord, 'status' | 'output' | 'error' | 'wait' | 'finishedAt'>>;

/**
 * Outcome of one node attempt. `running` is the marker written before an `atMostOnce` node starts;
 * a later record of the same node closes it.
 */
export type NodeRunStatus = 'succeeded' | 'failed' | 'waiting' | 'skipped' | 'running';

/**
 * One node run: the checkpoint written after every node attempt. Replaying an execution's node
 * runs in `seq` order rebuilds its state, which is how `resume()` continues without re-running
 * finished nodes.
 */
export interface NodeRunRecord {
  executionId: string;
  /** Position in the execution's log, starting at 0. */
  seq: number;
  nodeId: string;
  nodeName: string;
  /** How many times this node had run before in this execution (loops re-run nodes). */
  runIndex: number;
  status: NodeRunStatus;
  /** Attempts made (1 when no retry was needed). */
  attempts: number;
  input?: PortItems;
  output?: PortItems;
  error?: ExecutionError;
  /** Node-private state carried across runs (loop cursors, wait info). */
  state?: JsonValue;
  startedAt: number;
  finishedAt: number;
}
