import type { Workflow } from '@weft/engine';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import { callsExternalService } from './external-call.js';
import type { OptimizationFinding } from './optimize-workflow.js';

/** Nodes in a row above this are reported as a chain better kept in a sub-workflow. */
export const LONG_CHAIN_NODES = 12;

const stable = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(stable).join(',')}]`
    : v && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);

/**
 * Findings from the workflow's shape, none with a patch (each needs a person's judgement):
 *
 * - `parallel-branches`: one output of a node fans out to two or more branches that share no node and each call
 *   an external service. The engine runs one node at a time per execution (the ready queue of
 *   `ExecutionRun`), so the branches wait for each other's calls; moving a branch into its own
 *   workflow (started by an event) lets the calls overlap.
 * - `repeated-call`: two nodes calling an external service with the same type, parameters and
 *   credentials, one downstream of the other: call once and read the first one's output with
 *   `$("name")`. Parameters with expressions are left out (they may differ per item). No patch:
 *   nodes between may change the items the second one runs for.
 * - `long-chain`: more than {@link LONG_CHAIN_NODES} nodes in a row with no branching or merging.
 *
 * @example
 * ```ts
 * structureFindings(workflow, catalogue).map((f) => f.code); // ['repeated-call']
 * ```
 */
export function structureFindings(
  workflow: Workflow,
  catalogue: readonly CatalogueEntry[] | undefined,
): OptimizationFinding[] {
  const findings: OptimizationFinding[] = [];
  const byId = new Map(workflow.nodes.map((n) => [n.id, n]));
  const name = (id: string) => byId.get(id)?.name ?? id;
  const quoted = (ids: string[]) => ids.map((id) => `"${name(id)}"`).join(', ');
  const targets = (id: string) => [
    ...new Set(workflow.connections.filter((c) => c.source === id).map((c) => c.target)),
  ];
  const sources = (id: string) => [
    ...new Set(workflow.connections.filter((c) => c.target === id).map((c) => c.source)),
  ];
  const external = (id: string) => {
    const n = byId.get(id);
    return Boolean(n && !n.disabled && callsExternalService(n.type, catalogue));
  };
  const downstream = (start: string) => {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length) {
      const id = stack.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...targets(id));
    }
    return seen;
  };

  const fanOuts = new Map<string, { node: (typeof workflow.nodes)[number]; targets: Set<string> }>();
  for (const c of workflow.connections) {
    const node = byId.get(c.source);
    if (!node) continue;
    const key = `${c.source}\u0000${c.sourcePort ?? 'main'}`;
    const entry = fanOuts.get(key) ?? { node, targets: new Set<string>() };
    entry.targets.add(c.target);
    fanOuts.set(key, entry);
  }
  for (const { node: n, targets: outs } of fanOuts.values()) {
    const branches = [...outs].map((t) => ({ start: t, nodes: downstream(t) }));
    if (branches.length < 2) continue;
    const independent = branches.filter(
      (b) => !branches.some((o) => o !== b && [...b.nodes].some((id) => o.nodes.has(id))),
    );
    const calling = independent.map((b) => [...b.nodes].filter(external)).filter((calls) => calls.length);
    if (calling.length < 2) continue;
    const calls = calling.flat();
    const longest = Math.max(...calling.map((c) => c.length));
    findings.push({
      code: 'parallel-branches',
      message: `The branches after "${n.name}" share no node but run one after another (the engine runs one node at a time per execution), so their calls ${quoted(calls)} wait for each other: move a branch into its own workflow started by an event to let them overlap`,
      nodeIds: [n.id, ...calls],
      patch: [],
      estimatedSaving: `the wait of up to ${calls.length - longest} of ${calls.length} external call(s) per execution`,
    });
  }

  const calls = workflow.nodes.filter((n) => external(n.id));
  const reported = new Set<string>();
  for (const a of calls) {
    const after = downstream(a.id);
    for (const b of calls) {
      if (a === b || reported.has(b.id) || !after.has(b.id) || a.type !== b.type) continue;
      const key = stable([a.parameters ?? {}, a.credentials ?? {}]);
      if (key.includes('{{') || key !== stable([b.parameters ?? {}, b.credentials ?? {}])) continue;
      reported.add(b.id);
      findings.push({
        code: 'repeated-call',
        message: `"${b.name}" repeats the call of "${a.name}" (same ${a.type} and parameters) on the same path: remove it and read the first result with {{ $("${a.name}").item.json }}`,
        nodeIds: [a.id, b.id],
        patch: [],
        estimatedSaving: `one ${a.type} call per item`,
      });
    }
  }

  const single = (id: string) => targets(id).length === 1;
  const seen = new Set<string>();
  for (const n of workflow.nodes) {
    if (seen.has(n.id)) continue;
    const prev = sources(n.id);
    if (prev.length === 1 && single(prev[0] as string)) continue;
    const chain = [n.id];
    let id = n.id;
    while (single(id)) {
      const next = targets(id)[0] as string;
      if (sources(next).length !== 1 || chain.includes(next)) break;
      chain.push(next);
      id = next;
    }
    for (const c of chain) seen.add(c);
    if (chain.length <= LONG_CHAIN_NODES) continue;
    findings.push({
      code: 'long-chain',
      message: `${chain.length} nodes run in a row from "${name(chain[0] as string)}" to "${name(id)}" with no branching: move the steps into a sub-workflow (Execute workflow) to read, test and reuse them as one`,
      nodeIds: chain,
      patch: [],
      estimatedSaving: `${chain.length - 1} nodes less on this canvas`,
    });
  }
  return findings;
}
