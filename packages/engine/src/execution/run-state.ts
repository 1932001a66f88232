import type { Item, PortItems } from '../model/item.js';
import type { JsonValue } from '../model/json.js';
import type { CompiledEdge, CompiledNode, CompiledWorkflow } from './compiled-workflow.js';

/** A node waiting to run; `feedback` is set when a loop's feedback input triggered it. */
export interface ReadyEntry {
  node: CompiledNode;
  feedback: boolean;
}

/**
 * The dataflow state of one execution: what every connection delivered, which nodes ran, what
 * is ready. It changes only through {@link RunState.complete}, which both the live run and the
 * replay of a checkpoint log call, so a resumed execution rebuilds exactly the state it had.
 *
 * A connection is pending (`undefined`), delivered (items) or known never to deliver (`null`).
 * A node runs once all its non-feedback inputs are settled and at least one delivered items; when
 * none delivered, it is skipped and its outputs never deliver. A loop's feedback input runs the
 * loop node again each time it settles; each new iteration resets the loop body.
 */
export class RunState {
  readonly edges: (Item[] | null | undefined)[];
  readonly ran: boolean[];
  readonly runCount: number[];
  readonly nodeState: (JsonValue | undefined)[];
  /** Main output of the last run of each node, by name, for `$("Name")`. */
  readonly mainOutputs = new Map<string, Item[]>();
  readonly ready: ReadyEntry[] = [];
  rootInput: Item[] = [];
  /** Runs recorded so far (the next checkpoint's seq). */
  seq = 0;
  totalRuns = 0;
  lastTerminal: PortItems | undefined;
  lastAny: PortItems | undefined;

  constructor(readonly compiled: CompiledWorkflow) {
    const n = compiled.nodes.length;
    this.edges = new Array(compiled.edges.length).fill(undefined);
    this.ran = new Array(n).fill(false);
    this.runCount = new Array(n).fill(0);
    this.nodeState = new Array(n).fill(undefined);
  }

  /** Queues the roots with the trigger items. */
  start(input: Item[], only?: CompiledNode): void {
    this.rootInput = input;
    for (const root of only ? [only] : this.compiled.roots) this.ready.push({ node: root, feedback: false });
  }

  /** Items per input port for the next run of `entry.node`. */
  inputsFor(entry: ReadyEntry): PortItems {
    const node = entry.node;
    if (node.awaited.length === 0 && !entry.feedback && node.feedbackPorts.size === 0) return { main: this.rootInput };
    const inputs: PortItems = {};
    for (const [port, edges] of node.incoming) {
      const feedback = node.feedbackPorts.has(port);
      if (feedback !== entry.feedback) continue;
      let items: Item[] | undefined;
      for (const e of edges) {
        const got = this.edges[e.index];
        if (got?.length) items = items ? items.concat(got) : got;
      }
      inputs[port] = items ?? [];
    }
    return inputs;
  }

  /** Takes the next ready node, or undefined when the execution is finished. */
  next(): ReadyEntry | undefined {
    return this.ready.shift();
  }

  /** Removes a specific node from the ready queue (replay of a recorded run). */
  take(node: CompiledNode): ReadyEntry | undefined {
    const i = this.ready.findIndex((r) => r.node === node);
    if (i < 0) return undefined;
    return this.ready.splice(i, 1)[0];
  }

  /** Records a finished run and propagates its outputs. */
  complete(node: CompiledNode, outputs: PortItems, state: JsonValue | undefined): void {
    const i = node.index;
    this.ran[i] = true;
    this.runCount[i] = (this.runCount[i] ?? 0) + 1;
    this.nodeState[i] = state;
    this.seq++;
    this.totalRuns++;
    const main = outputs.main ?? outputs[node.outputNames[0] ?? 'main'];
    if (main) this.mainOutputs.set(node.node.name, main);
    this.lastAny = outputs;
    if (node.outgoing.size === 0) this.lastTerminal = outputs;
    const iterating =
      node.body.length > 0 && Object.entries(outputs).some(([p, items]) => p !== 'done' && items.length > 0);
    if (iterating) this.#resetBody(node);
    for (const [port, edges] of node.outgoing) {
      const items = outputs[port];
      // While a loop iterates, its other outputs (done) stay pending instead of "never".
      if (iterating && !items?.length) continue;
      for (const e of edges) this.#settle(e, items?.length ? items : null);
    }
  }

  #settle(edge: CompiledEdge, items: Item[] | null): void {
    this.edges[edge.index] = items;
    const target = edge.to;
    if (target.feedbackPorts.has(edge.toPort)) {
      const feedback = target.incoming.get(edge.toPort) ?? [];
      if (feedback.every((e) => this.edges[e.index] !== undefined)) this.ready.push({ node: target, feedback: true });
      return;
    }
    const i = target.index;
    if (this.ran[i]) return;
    let delivered = false;
    for (const e of target.awaited) {
      const got = this.edges[e.index];
      if (got === undefined) return;
      if (got !== null) delivered = true;
    }
    if (this.ready.some((r) => r.node === target && !r.feedback)) return;
    if (delivered) {
      this.ready.push({ node: target, feedback: false });
    } else {
      this.ran[i] = true;
      for (const edges of target.outgoing.values()) for (const e of edges) this.#settle(e, null);
    }
  }

  #resetBody(loop: CompiledNode): void {
    const inScope = new Set<CompiledNode>(loop.body);
    inScope.add(loop);
    for (const n of loop.body) {
      this.ran[n.index] = false;
      this.nodeState[n.index] = undefined;
      for (const edges of n.incoming.values()) {
        for (const e of edges) if (inScope.has(e.from)) this.edges[e.index] = undefined;
      }
    }
    for (const edges of loop.incoming.values()) {
      for (const e of edges) if (loop.feedbackPorts.has(e.toPort)) this.edges[e.index] = undefined;
    }
    for (let k = this.ready.length - 1; k >= 0; k--) {
      const r = this.ready[k] as ReadyEntry;
      if (inScope.has(r.node) && r.node !== loop) this.ready.splice(k, 1);
    }
  }
}
