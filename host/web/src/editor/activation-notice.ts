import type { NodeCatalogueEntry } from '@weft/canvas';
import type { Workflow } from '@weft/engine';

/**
 * What to tell the user after (de)activating a workflow: which triggers now start it, or that
 * nothing will, because it only has triggers that start by hand (manual, sub-workflow).
 *
 * @example
 * ```ts
 * activationNotice(true, workflow, catalogue); // 'Active: Webhook is live'
 * ```
 */
export function activationNotice(active: boolean, wf: Workflow, types: readonly NodeCatalogueEntry[]): string {
  const byType = new Map(types.map((t) => [t.type, t]));
  const live = wf.nodes.filter((n) => !n.disabled && byType.get(n.type)?.trigger && byType.get(n.type)?.triggerKind);
  const names = live.map((n) => n.name).join(', ');
  if (!active) return live.length ? `Inactive: ${names} no longer start${live.length === 1 ? 's' : ''} it` : 'Inactive';
  if (live.length === 0)
    return 'Active, but nothing starts it on its own: it has no webhook, schedule, polling or event trigger. Start it with Run.';
  return `Active: ${names} ${live.length === 1 ? 'is' : 'are'} live`;
}
