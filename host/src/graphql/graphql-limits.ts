import type { Logger } from '@weft/engine';
import {
  type ASTVisitor,
  GraphQLError,
  getNullableType,
  isListType,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql/index.js';
import { type ComplexityEstimator, createComplexityRule, simpleEstimator } from 'graphql-query-complexity';
import type { GraphqlSettings } from '../config/graphql-settings.js';
import { HostError } from '../runtime/host-error.js';
import { PublicGraphqlError } from './graphql-context.js';

/** How much one GraphQL operation may ask for: the host's {@link GraphqlSettings}. */
export type GraphqlLimits = GraphqlSettings;

/**
 * Refuses operations nested deeper than `max` fields (fragments followed, introspection skipped).
 *
 * @example
 * ```ts
 * validate(schema, document, [...specifiedRules, depthLimit(8)]);
 * ```
 */
export function depthLimit(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      if (!set) return 0;
      let deepest = 0;
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          if (s.name.value.startsWith('__')) continue;
          deepest = Math.max(deepest, 1 + depthOf(s.selectionSet, seen));
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(s.selectionSet, seen));
        } else if (!seen.has(s.name.value)) {
          const fragment = context.getFragment(s.name.value);
          deepest = Math.max(deepest, depthOf(fragment?.selectionSet, new Set([...seen, s.name.value])));
        }
        if (deepest > max) return deepest;
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, new Set());
        if (depth > max)
          context.reportError(
            new GraphQLError(`The query is ${depth} levels deep; the limit is ${max}`, {
              nodes: [node],
              extensions: { code: 'DEPTH_LIMIT_EXCEEDED' },
            }),
          );
      },
    };
  };
}

const listEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!isListType(getNullableType(field.type))) return undefined;
  const n = typeof args.first === 'number' ? Math.max(0, args.first) : 10;
  return 1 + childComplexity * n;
};

/**
 * Refuses operations whose estimated cost exceeds `max` (graphql-query-complexity).
 *
 * @example
 * ```ts
 * validate(schema, document, [costLimit(2000, variables)]);
 * ```
 */
export function costLimit(max: number, variables: Record<string, unknown> | null | undefined): ValidationRule {
  return createComplexityRule({
    maximumComplexity: max,
    variables: variables ?? {},
    estimators: [listEstimator, simpleEstimator({ defaultComplexity: 1 })],
    createError: (limit, actual) =>
      new GraphQLError(`The query costs ${actual}; the limit is ${limit}. Ask for fewer items or fields`, {
        extensions: { code: 'COST_LIMIT_EXCEEDED' },
      }),
  });
}

/**
 * Errors that leave the host: GraphQL's own (syntax, validation) and {@link PublicGraphqlError}s
 * keep their message; anything else (a database error, a bug) becomes `Internal server error`
 * with code `INTERNAL_SERVER_ERROR`, and is logged.
 *
 * @example
 * ```ts
 * createHandler({ schema, formatError: (e) => maskError(e, logger) });
 * ```
 */
export function maskError(err: Readonly<Error | GraphQLError>, logger: Logger): GraphQLError {
  if (err instanceof GraphQLError) {
    const original = err.originalError;
    if (!original || original instanceof PublicGraphqlError) return err;
    if (original instanceof GraphQLError && !original.originalError) return err;
    // The runtime's domain errors carry messages written for callers (REST shows them too).
    if (original instanceof HostError)
      return new GraphQLError(original.message, {
        ...(err.nodes ? { nodes: err.nodes } : {}),
        ...(err.path ? { path: err.path } : {}),
        extensions: { code: original.code },
      });
    logger.error({ err: String(original), path: err.path }, 'GraphQL resolver failed');
    return new GraphQLError('Internal server error', {
      ...(err.nodes ? { nodes: err.nodes } : {}),
      ...(err.path ? { path: err.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  }
  logger.error({ err: String(err) }, 'GraphQL request failed');
  return new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}
