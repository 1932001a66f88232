import type { Workflow } from '@weft/engine';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';

/** A suggested next node: its type, a score from 0 to 1, and why. */
export interface NodeRecommendation {
  type: string;
  score: number;
  reason: string;
}

/**
 * Suggests nodes to add after `afterNodeId` (default: the workflow's last node with no outgoing
 * connection) by how often its type is followed by each other type in `corpus` (existing
 * workflows and templates). Only non-trigger types of the catalogue are suggested; types already
 * connected after the node are left out. Pure.
 *
 * @example
 * ```ts
 * recommendNextNodes(draft, { catalogue, corpus: workspaceWorkflows })[0]; // { type: 'slack.sendMessage', score: 0.6, reason: '…' }
 * ```
 */
export function recommendNextNodes(
  workflow: Workflow,
  options: { catalogue: readonly CatalogueEntry[]; corpus: readonly Workflow[]; afterNodeId?: string; limit?: number },
): NodeRecommendation[] {
  const after =
    workflow.nodes.find((n) => n.id === options.afterNodeId) ??
    [...workflow.nodes].reverse().find((n) => !workflow.connections.some((c) => c.source === n.id));
  if (!after) return [];
  const actions = new Set(options.catalogue.filter((e) => !e.trigger).map((e) => e.type));
  const counts = new Map<string, number>();
  let total = 0;
  for (const wf of options.corpus) {
    const typeOf = new Map(wf.nodes.map((n) => [n.id, n.type]));
    for (const c of wf.connections) {
      if (typeOf.get(c.source) !== after.type) continue;
      const next = typeOf.get(c.target);
      if (!next || !actions.has(next)) continue;
      counts.set(next, (counts.get(next) ?? 0) + 1);
      total++;
    }
  }
  const typeOf = new Map(workflow.nodes.map((n) => [n.id, n.type]));
  const already = new Set(workflow.connections.filter((c) => c.source === after.id).map((c) => typeOf.get(c.target)));
  return [...counts]
    .filter(([type]) => !already.has(type))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, options.limit ?? 5)
    .map(([type, n]) => ({
      type,
      score: Math.round((n / total) * 100) / 100,
      reason: `follows ${after.type} in ${n} of ${total} connections of existing workflows`,
    }));
}
