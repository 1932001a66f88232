import type { Connection } from '@weft/engine';

/**
 * A stable id for a connection: `source:port->target:port`, ports defaulting to `main`.
 *
 * @example
 * ```ts
 * edgeId({ source: 'a', target: 'b' }); // 'a:main->b:main'
 * ```
 */
export function edgeId(c: Connection): string {
  return `${c.source}:${c.sourcePort ?? 'main'}->${c.target}:${c.targetPort ?? 'main'}`;
}
