import type { WorkflowNode } from '@weft/engine';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import { tokenize } from '../catalogue/tokenize.js';

/** The node a phrase names, or why none could be picked. */
export type NodeMatch = { node: WorkflowNode } | { node?: undefined; reason: string };

/**
 * Finds the node of a workflow that words such as "the IF", "the wait", "the Slack message" or a
 * node's exact name refer to: its exact name first, else the node whose name, type and catalogue
 * display name share the most words with the phrase. Two nodes matching equally well are reported
 * as ambiguous rather than guessed.
 *
 * @example
 * ```ts
 * const m = findNode(workflow.nodes, 'the IF', catalogue);
 * if (m.node) console.log(m.node.id);
 * ```
 */
export function findNode(
  nodes: readonly WorkflowNode[],
  phrase: string,
  catalogue: readonly CatalogueEntry[],
): NodeMatch {
  const clean = phrase
    .trim()
    .replace(/^(?:the|a|an|my)\s+/i, '')
    .replace(/\s+(?:node|step)$/i, '')
    .replace(/^["“']|["”']$/g, '');
  const exact = nodes.filter((n) => n.name.toLowerCase() === clean.toLowerCase() || n.id === clean);
  if (exact.length === 1) return { node: exact[0] as WorkflowNode };
  const terms = [...new Set(tokenize(clean))];
  if (!terms.length) return { reason: `"${phrase}" does not name a node` };
  const types = new Map(catalogue.map((e) => [e.type, e]));
  const scored = nodes
    .map((n) => {
      const e = types.get(n.type);
      const words = new Set(tokenize(`${n.name} ${n.type} ${e?.displayName ?? ''} ${e?.category ?? ''}`));
      return { node: n, score: terms.filter((t) => words.has(t)).length / terms.length };
    })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best) return { reason: `no node matches "${phrase}"` };
  const tied = scored.filter((s) => s.score === best.score);
  if (tied.length > 1)
    return { reason: `"${phrase}" could mean ${tied.map((s) => `"${s.node.name}"`).join(' or ')}; name the node` };
  return { node: best.node };
}
