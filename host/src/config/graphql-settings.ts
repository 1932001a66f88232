/**
 * How much one GraphQL operation at `/api/graphql` may ask for (`WEFT_GRAPHQL_*`), checked before
 * it runs, over HTTP and over WebSocket alike.
 *
 * @example
 * ```ts
 * const { maxDepth, maxCost } = loadConfig({ WEFT_GRAPHQL_MAX_DEPTH: '5' }).graphql; // 5, 2000
 * ```
 */
export interface GraphqlSettings {
  /** Deepest field nesting, introspection fields not counted (`WEFT_GRAPHQL_MAX_DEPTH`, default 8). */
  maxDepth: number;
  /** Estimated cost: 1 per field, list fields times `first` (10 without it) (`WEFT_GRAPHQL_MAX_COST`, default 2000). */
  maxCost: number;
}

type Int = (name: string, fallback: number, min: number, max?: number) => number;

/**
 * Reads {@link GraphqlSettings} with the config loader's integer reader (which collects range
 * problems, naming the variable).
 *
 * @example
 * ```ts
 * const graphql = graphqlSettings(int);
 * ```
 */
export function graphqlSettings(int: Int): GraphqlSettings {
  return {
    maxDepth: int('WEFT_GRAPHQL_MAX_DEPTH', 8, 1, 100),
    maxCost: int('WEFT_GRAPHQL_MAX_COST', 2000, 1, 10_000_000),
  };
}
