import type { ExecutionError, ExecutionMode, NodeRunStatus } from '../model/execution.js';
import type { PortItems } from '../model/item.js';
import type { JsonValue } from '../model/json.js';

interface EventBase {
  executionId: string;
  workspaceId: string;
  workflowId: string;
  /** Increases by one per event within one run (start or resume) of the execution; `at` orders runs. */
  seq: number;
  at: number;
}

/** Every event the engine publishes, in order per execution. */
export type EngineEvent =
  | (EventBase & { type: 'workflow:started'; mode: ExecutionMode; resumed: boolean })
  | (EventBase & { type: 'node:started'; nodeId: string; nodeName: string; runIndex: number })
  /**
   * What a running node reported through `ctx.progress(data)` (streamed tokens, percent done), in
   * call order, before its `node:executed`. Delivered live to whoever watches; never checkpointed
   * or stored with the execution, so the node's output must still carry the full result.
   */
  | (EventBase & { type: 'node:progress'; nodeId: string; nodeName: string; runIndex: number; data: JsonValue })
  | (EventBase & {
      type: 'node:executed';
      nodeId: string;
      nodeName: string;
      runIndex: number;
      status: NodeRunStatus;
      durationMs: number;
      attempts: number;
      itemsIn: number;
      /** Item count per output port. */
      itemsOut: Record<string, number>;
      error?: ExecutionError;
    })
  | (EventBase & { type: 'approval:required'; nodeId: string; nodeName: string; message?: string; payload?: JsonValue })
  | (EventBase & { type: 'workflow:waiting'; nodeId: string; resumeAt?: number })
  | (EventBase & {
      type: 'workflow:completed';
      durationMs: number;
      output: PortItems;
      /** What a Respond to Webhook node answered, so a process waiting on another's worker needs no store read. */
      response?: JsonValue;
    })
  | (EventBase & { type: 'workflow:failed'; durationMs: number; error: ExecutionError })
  | (EventBase & { type: 'workflow:cancelled'; durationMs: number; reason: string });

/** The `type` of an engine event. */
export type EngineEventType = EngineEvent['type'];
