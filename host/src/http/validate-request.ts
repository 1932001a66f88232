import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { type FieldProblem, ProblemError } from './problem.js';

/**
 * Checks one part of a request against its TypeBox schema. `params` and `query` values are
 * converted from strings first (`?limit=10` becomes a number). Throws a 400 problem naming every
 * bad field (at most 20).
 *
 * @example
 * ```ts
 * const body = checkPart('body', CreateWorkflowBody, req.body);
 * ```
 */
export function checkPart<T>(where: 'body' | 'query' | 'params', schema: TSchema, value: unknown): T {
  const input = where === 'body' ? value : Value.Convert(schema, Value.Clone(value ?? {}));
  if (Value.Check(schema, input)) return input as T;
  const errors: FieldProblem[] = [];
  for (const e of Value.Errors(schema, input)) {
    errors.push({ in: where, path: e.path || '/', message: e.message });
    if (errors.length >= 20) break;
  }
  const first = errors[0];
  const what =
    where === 'body'
      ? `request body${first && first.path !== '/' ? ` field ${first.path}` : ''}`
      : `${where === 'query' ? 'query parameter' : 'path parameter'} ${first?.path.replace(/^\//, '') || '(unknown)'}`;
  const code = where === 'body' ? 'invalid-body' : where === 'query' ? 'invalid-query' : 'invalid-path-parameter';
  throw new ProblemError(400, code, `Invalid ${what}: ${first?.message ?? 'does not match the schema'}`, { errors });
}
