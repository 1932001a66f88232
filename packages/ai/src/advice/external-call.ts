import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';

/**
 * Whether nodes of `type` call an external service: catalogue entries of the `action` group
 * (HTTP Request and connector actions); without a catalogue, only `http.request`.
 *
 * @example
 * ```ts
 * callsExternalService('slack.sendMessage', catalogue); // true
 * ```
 */
export function callsExternalService(type: string, catalogue: readonly CatalogueEntry[] | undefined): boolean {
  if (type === 'http.request') return true;
  const entry = catalogue?.find((e) => e.type === type);
  return Boolean(entry && !entry.trigger && entry.group === 'action');
}
