import type { Workflow } from '@weft/engine';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import { callsExternalService } from './external-call.js';
import type { JsonPatchOperation } from './json-patch.js';

/** A node that calls an external service with nothing to handle its failure, and what to do. */
export interface ErrorHandlingRecommendation {
  nodeId: string;
  type: string;
  reason: string;
  suggestion: string;
  /** Adds a retry policy (3 attempts, backoff from 1 s); the workflow still validates. */
  patch: JsonPatchOperation[];
}

/**
 * Finds nodes that call an external service (HTTP Request and connector actions) with no `retry`,
 * no `onError` of `continue` or `route` (with a connection on its `error` output) and a workflow
 * with no `settings.errorWorkflow`: one network hiccup there fails the execution with nobody told.
 * Each comes with a patch that adds a retry; writes that are not idempotent may be better handled
 * by routing the error output, as the suggestion says. Pure.
 *
 * @example
 * ```ts
 * findMissingErrorHandling(workflow, catalogue)[0]?.suggestion; // 'Set a retry (3 attempts with backoff) …'
 * ```
 */
export function findMissingErrorHandling(
  workflow: Workflow,
  catalogue: readonly CatalogueEntry[],
): ErrorHandlingRecommendation[] {
  if (workflow.settings?.errorWorkflow) return [];
  const routed = (id: string) => workflow.connections.some((c) => c.source === id && c.sourcePort === 'error');
  const found: ErrorHandlingRecommendation[] = [];
  workflow.nodes.forEach((n, i) => {
    if (n.disabled || n.retry || !callsExternalService(n.type, catalogue)) return;
    if (n.onError === 'continue' || (n.onError === 'route' && routed(n.id))) return;
    found.push({
      nodeId: n.id,
      type: n.type,
      reason: `"${n.name}" calls an external service with no retry, no error output and no error workflow: one failed call stops the execution`,
      suggestion: `Set a retry (3 attempts with backoff) on "${n.name}"; if the call must not repeat, set "On error" to "route" and connect its error output to a notification, or set an error workflow`,
      patch: [{ op: 'add', path: `/nodes/${i}/retry`, value: { attempts: 3, baseMs: 1000 } }],
    });
  });
  return found;
}
