import type { Workflow } from '@weft/engine';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import type { JsonPatchOperation } from './json-patch.js';
import { structureFindings } from './structure-findings.js';

/** One optimisation finding, with a JSON Patch on the workflow when a safe change exists. */
export interface OptimizationFinding {
  code:
    | 'unreachable-node'
    | 'http-in-loop'
    | 'stacked-retries'
    | 'large-payload'
    | 'parallel-branches'
    | 'repeated-call'
    | 'long-chain';
  message: string;
  nodeIds: string[];
  /** Apply to the workflow document (RFC 6902); empty when the change needs a person. */
  patch: JsonPatchOperation[];
  estimatedSaving: string;
}

/** Options of {@link optimizeWorkflow}. */
export interface OptimizeOptions {
  /** Tells triggers apart; without it, nodes whose type ends in `Trigger` or is a known trigger count. */
  catalogue?: readonly CatalogueEntry[];
  /** Bytes each node output in recent executions (from analytics), by node id. */
  payloadBytes?: Record<string, number>;
  /** Payloads above this are reported. Default 256 KB. */
  payloadLimitBytes?: number;
}

const HTTP_TYPES = new Set(['http.request']);

function isTrigger(type: string, catalogue: readonly CatalogueEntry[] | undefined): boolean {
  if (catalogue) return Boolean(catalogue.find((e) => e.type === type)?.trigger);
  return /trigger$/i.test(type) || ['weft.webhook', 'weft.schedule', 'weft.event'].includes(type);
}

/**
 * Finds what to improve in a workflow, each finding with a JSON Patch where the change is safe to
 * apply as is: nodes no trigger reaches (patch removes them and their connections), HTTP calls
 * inside a loop body (nodes already run once per item, so a loop around a call adds a round trip
 * per batch), retries stacked on an Execute workflow node whose inline sub-workflow retries too
 * (patch removes the outer retry), node outputs over 256 KB in recent executions, and, without
 * patches, the shape findings of {@link structureFindings}: branches that could run in parallel (the
 * engine runs one node at a time per execution), repeated identical calls on one path and chains of
 * more than 12 nodes better kept in a sub-workflow. Pure: the workflow is not changed.
 *
 * @example
 * ```ts
 * for (const f of optimizeWorkflow(workflow, { catalogue })) console.log(f.code, f.message, f.patch);
 * ```
 */
export function optimizeWorkflow(workflow: Workflow, options: OptimizeOptions = {}): OptimizationFinding[] {
  const findings: OptimizationFinding[] = [];
  const index = new Map(workflow.nodes.map((n, i) => [n.id, i]));
  const name = (id: string) => workflow.nodes[index.get(id) ?? -1]?.name ?? id;
  const out = (id: string, port?: string) =>
    workflow.connections.filter((c) => c.source === id && (port === undefined || (c.sourcePort ?? 'main') === port));

  const reached = new Set<string>();
  const queue = workflow.nodes.filter((n) => isTrigger(n.type, options.catalogue)).map((n) => n.id);
  for (const id of queue) {
    if (reached.has(id)) continue;
    reached.add(id);
    for (const c of out(id)) queue.push(c.target);
  }
  const unreachable = queue.length ? workflow.nodes.filter((n) => !reached.has(n.id)).map((n) => n.id) : [];
  if (unreachable.length) {
    const gone = new Set(unreachable);
    const patch: JsonPatchOperation[] = [
      ...workflow.connections
        .map((c, j) => [c, j] as const)
        .filter(([c]) => gone.has(c.source) || gone.has(c.target))
        .map(([, j]) => j)
        .reverse()
        .map((j) => ({ op: 'remove' as const, path: `/connections/${j}` })),
      ...unreachable
        .map((id) => index.get(id) as number)
        .sort((a, b) => b - a)
        .map((i) => ({ op: 'remove' as const, path: `/nodes/${i}` })),
    ];
    findings.push({
      code: 'unreachable-node',
      message: `No trigger reaches ${unreachable.map((id) => `"${name(id)}"`).join(', ')}: they never run`,
      nodeIds: unreachable,
      patch,
      estimatedSaving: `${unreachable.length} node(s) less to maintain`,
    });
  }

  for (const loop of workflow.nodes.filter((n) => n.type === 'weft.loop')) {
    const body = new Set<string>();
    const stack = out(loop.id, 'loop').map((c) => c.target);
    while (stack.length) {
      const id = stack.pop() as string;
      if (id === loop.id || body.has(id)) continue;
      body.add(id);
      for (const c of out(id)) stack.push(c.target);
    }
    const calls = workflow.nodes.filter((n) => body.has(n.id) && HTTP_TYPES.has(n.type)).map((n) => n.id);
    if (calls.length)
      findings.push({
        code: 'http-in-loop',
        message: `${calls.map((id) => `"${name(id)}"`).join(', ')} run inside "${loop.name}": an HTTP node already sends one request per item, so the loop only adds a round of calls per batch; call a batch endpoint or drop the loop`,
        nodeIds: [loop.id, ...calls],
        patch: [],
        estimatedSaving: 'one round trip per batch',
      });
  }

  workflow.nodes.forEach((n, i) => {
    if (n.type !== 'weft.executeWorkflow' || !n.retry) return;
    const inner = (n.parameters?.workflow as Workflow | undefined)?.nodes?.filter((x) => x.retry) ?? [];
    if (!inner.length) return;
    const total = n.retry.attempts * Math.max(...inner.map((x) => x.retry?.attempts ?? 1));
    findings.push({
      code: 'stacked-retries',
      message: `"${n.name}" retries ${n.retry.attempts} times around a sub-workflow whose ${inner.map((x) => `"${x.name}"`).join(', ')} retry too: up to ${total} attempts of one call`,
      nodeIds: [n.id],
      patch: [{ op: 'remove', path: `/nodes/${i}/retry` }],
      estimatedSaving: `up to ${total - Math.max(...inner.map((x) => x.retry?.attempts ?? 1))} fewer attempts when a call keeps failing`,
    });
  });

  const limit = options.payloadLimitBytes ?? 256 * 1024;
  for (const [id, bytes] of Object.entries(options.payloadBytes ?? {})) {
    if (bytes <= limit || !index.has(id)) continue;
    findings.push({
      code: 'large-payload',
      message: `"${name(id)}" outputs ${Math.round(bytes / 1024)} KB, over ${Math.round(limit / 1024)} KB: keep only the fields later nodes use (Remove fields) or pass the data as binary`,
      nodeIds: [id],
      patch: [],
      estimatedSaving: `${Math.round((bytes - limit) / 1024)} KB per execution`,
    });
  }
  findings.push(...structureFindings(workflow, options.catalogue));
  return findings;
}
