import type { Context } from '@opentelemetry/api';
import type { ExecutionMode } from '../model/execution.js';
import type { Item, PortItems } from '../model/item.js';
import type { JsonValue } from '../model/json.js';
import type { Workflow, WorkflowNode } from '../model/workflow-schema.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { CodeSandbox, ExpressionData, SandboxLimits } from '../ports/code-sandbox.js';
import type { ResolvedCredential } from '../ports/credential-resolver.js';
import type { Logger } from '../ports/logger.js';
import type { ParameterFields, ParameterValues } from './parameter-spec.js';

/** A named input or output of a node type. */
export interface PortSpec {
  name: string;
  label?: string;
  /**
   * A feedback input closes a loop: the node does not wait for it before its first run, and
   * each delivery on it runs the node again. Only loop nodes have one.
   */
  feedback?: boolean;
}

/** How safe a node is to run again after a crash. */
export type SideEffects =
  /** Pure: re-running gives the same result and touches nothing. */
  | 'none'
  /** Touches the outside world, but repeating is harmless (GET, PUT with the same body). */
  | 'idempotent'
  /**
   * Must not repeat once its checkpoint is written (POST, send an email). A crash while it runs,
   * before its checkpoint, runs it again (at least once).
   */
  | 'once'
  /**
   * Must never run twice, even after a crash in the middle of its run (charge a card): a marker is
   * written before it starts, and a run cut off by a crash fails with `NODE_INTERRUPTED` (or goes
   * where its `onError` policy sends it) instead of running again (at most once).
   */
  | 'atMostOnce';

/** What a node asks for instead of finishing: the execution parks until a timer or a signal. */
export type NodeWait =
  | { kind: 'timer'; resumeAt: number; state?: JsonValue }
  | { kind: 'signal'; state?: JsonValue; approval?: { message?: string; payload?: JsonValue } };

/** What a node's `execute` returns. */
export type NodeResult = { outputs: PortItems; state?: JsonValue } | { wait: NodeWait };

/** Options for running another workflow from a node. */
export interface SubWorkflowRequest {
  workflowId?: string;
  workflow?: Workflow;
  items: Item[];
}

/**
 * Everything a node may use while it runs. Passed explicitly; there is no `this`.
 */
export interface NodeContext<P = Record<string, unknown>> {
  node: WorkflowNode;
  workflow: Workflow;
  execution: { id: string; workspaceId: string; mode: ExecutionMode; depth: number };
  /** Items per input port (`main` for most nodes). */
  inputs: PortItems;
  /** Parameters with expressions evaluated against the first main input item (or none). */
  params: P;
  /** Parameters evaluated once per main input item, same order as `inputs.main`. */
  itemParams: P[];
  /** How many times this node has run before in this execution (loops). */
  runIndex: number;
  /** Private state this node returned from its previous run in this execution, if any. */
  state: JsonValue | undefined;
  /** Set when the node runs again after a wait: the signal payload, or null for a timer. */
  resumed: { payload: JsonValue | null } | undefined;
  signal: AbortSignal;
  clock: Clock;
  logger: Logger;
  sandbox: CodeSandbox;
  sandboxLimits: SandboxLimits;
  /** The expression data for this node's main input, for nodes that run code in the sandbox. */
  expressionData(): ExpressionData;
  /** Where binary item data lives (undefined when the engine has no blob store). */
  blobs: BlobStore | undefined;
  /**
   * Sets the execution's response (what a webhook caller receives in "respond from a node" mode).
   * The last call wins; it is returned as `ExecutionResult.response`.
   */
  respond(response: JsonValue): void;
  /**
   * Reports partial results while the node runs, published at once as a `node:progress` event
   * (e.g. each streamed chunk of a model's answer, so a user watching sees it live). Not stored:
   * the node's output must still carry the full result. Calls after the node finished are dropped,
   * and nothing is done when no one listens to the engine's events.
   *
   * @example
   * ```ts
   * for await (const token of stream) ctx.progress({ delta: token });
   * ```
   */
  progress(data: JsonValue): void;
  /**
   * The OpenTelemetry context of this node run's span, when tracing records: work the node starts
   * on its behalf (outbound HTTP requests) passes it as the parent of its own spans. Undefined
   * without tracing.
   *
   * @example
   * ```ts
   * const span = tracer.startSpan('lookup', {}, ctx.trace ?? context.active());
   * ```
   */
  trace?: Context | undefined;
  /** Decrypted credential for a slot named in the node's `credentials`. */
  credential(slot: string): Promise<ResolvedCredential>;
  /** Runs another workflow to completion and returns its output items. */
  executeWorkflow(request: SubWorkflowRequest): Promise<Item[]>;
}

/**
 * A node type: what it is called, what it takes, and what it does. Register one with
 * {@link NodeRegistry.register}.
 *
 * @example
 * ```ts
 * const upper = defineNodeType({
 *   type: 'acme.upper',
 *   displayName: 'Upper-case',
 *   group: 'transform',
 *   description: 'Upper-cases a field',
 *   docs: 'Outputs each item with `field` upper-cased.',
 *   parameters: { field: param.string({ label: 'Field', required: true }) },
 *   execute: ({ inputs, itemParams }) => ({
 *     outputs: { main: inputs.main!.map((it, i) => ({ json: { ...it.json, [itemParams[i]!.field]: String(it.json[itemParams[i]!.field]).toUpperCase() } })) },
 *   }),
 * });
 * ```
 */
export interface NodeType<F extends ParameterFields = ParameterFields> {
  /** Globally unique, namespaced: `weft.if`, `slack.postMessage`. */
  type: string;
  version: number;
  displayName: string;
  description: string;
  group: 'trigger' | 'flow' | 'transform' | 'action' | 'code' | 'utility';
  icon?: string;
  /** Markdown shown in the editor; say exactly when the node fires. */
  docs: string;
  parameters: F;
  /** Default: one `main` input (none for triggers). May depend on the parameters (merge inputs). */
  inputs?: PortSpec[] | ((params: Record<string, unknown>) => PortSpec[]);
  /** Default: one `main` output. May depend on the parameters (switch routes). */
  outputs?: PortSpec[] | ((params: Record<string, unknown>) => PortSpec[]);
  /** Triggers start executions: they have no inputs and receive the trigger payload as `main`. */
  trigger?: boolean;
  /** Default `none`. No node is re-run after its checkpoint is written; see {@link SideEffects}. */
  sideEffects?: SideEffects;
  /** Credential types this node accepts per slot. */
  credentials?: Record<string, { types: string[]; required?: boolean }>;
  execute(ctx: NodeContext<ParameterValues<F>>): Promise<NodeResult> | NodeResult;
}

/** Identity helper that keeps the parameter types for inference. */
export function defineNodeType<const F extends ParameterFields>(nodeType: NodeType<F>): NodeType<F> {
  return nodeType;
}

/** The outputs of a node type for the given parameters. */
export function outputsOf(nodeType: NodeType<ParameterFields>, params: Record<string, unknown>): PortSpec[] {
  const outs = nodeType.outputs;
  if (!outs) return [{ name: 'main' }];
  return typeof outs === 'function' ? outs(params) : outs;
}

/** The inputs of a node type. */
export function inputsOf(nodeType: NodeType<ParameterFields>, params: Record<string, unknown>): PortSpec[] {
  const ins = nodeType.inputs;
  if (ins) return typeof ins === 'function' ? ins(params) : ins;
  return nodeType.trigger ? [] : [{ name: 'main' }];
}
