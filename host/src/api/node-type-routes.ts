import { type AnyRoute, defineRoute } from '../http/route.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

/**
 * The node types this host runs — built-in nodes and every registered connector action and
 * trigger — as serialisable descriptions: what the editor's palette lists and what browsers
 * validate workflows against (`nodeTypesFromDescriptions` in @weft/engine).
 *
 * @example
 * ```ts
 * mountRoutes(router, nodeTypeRoutes(runtime), runtime);
 * ```
 */
export function nodeTypeRoutes(rt: HostRuntime): AnyRoute[] {
  let described: unknown[] | undefined;
  return [
    defineRoute({
      method: 'get',
      path: '/node-types',
      summary: 'Descriptions of every node type this host can run',
      tag: 'node-types',
      auth: 'user',
      handler: async () => {
        described ??= rt.registry.describe();
        return { items: described };
      },
    }),
  ];
}
