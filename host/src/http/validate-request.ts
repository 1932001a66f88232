import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { type FieldProblem, ProblemError } from './problem.js';

const NUL = '\u0000';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored as text (Postgres refuses NUL; UTF-8 has no lone surrogates). */
function textProblem(text: string): string | undefined {
  if (text.includes(NUL)) return 'must not contain NUL characters (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

const pointer = (path: string, key: string | number) =>
  `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/**
 * The first string the schema declares as text (not free-form data under `Type.Unknown`) that
 * holds a NUL or an unpaired surrogate. Payload data is left alone: the stores keep it as it is.
 */
function badText(schema: TSchema, value: unknown, path: string): { path: string; message: string } | undefined {
  if (typeof value === 'string') {
    const message = schema.type === 'string' ? textProblem(value) : undefined;
    return message ? { path: path || '/', message } : undefined;
  }
  const branches = (schema.anyOf ?? schema.allOf) as TSchema[] | undefined;
  if (branches) {
    const branch = schema.anyOf ? branches.find((b) => Value.Check(b, value)) : undefined;
    for (const b of branch ? [branch] : (schema.allOf ?? [])) {
      const found = badText(b, value, path);
      if (found) return found;
    }
    return undefined;
  }
  if (Array.isArray(value)) {
    const tuple = Array.isArray(schema.items) ? (schema.items as TSchema[]) : undefined;
    for (let i = 0; i < value.length; i++) {
      const item = tuple ? tuple[i] : (schema.items as TSchema | undefined);
      const found = item && badText(item, value[i], pointer(path, i));
      if (found) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const patterns = Object.values((schema.patternProperties ?? {}) as Record<string, TSchema>);
  const rest = typeof schema.additionalProperties === 'object' ? (schema.additionalProperties as TSchema) : undefined;
  for (const [key, v] of Object.entries(value)) {
    const sub = (schema.properties as Record<string, TSchema> | undefined)?.[key] ?? patterns[0] ?? rest;
    if (!sub) continue;
    const keyMessage = patterns.length > 0 && sub.type !== undefined ? textProblem(key) : undefined;
    if (keyMessage) return { path: pointer(path, key), message: `name ${keyMessage}` };
    const found = badText(sub, v, pointer(path, key));
    if (found) return found;
  }
  return undefined;
}

const INTEGER = /^-?[0-9]+$/;

/**
 * Path or query values converted from strings as the schema asks, except integers written any
 * other way than digits: TypeBox would read `1.5` or `1e400` as 1, they stay strings and fail.
 */
function converted(schema: TSchema, value: unknown): unknown {
  const raw = (value ?? {}) as Record<string, unknown>;
  const out = Value.Convert(schema, Value.Clone(raw)) as Record<string, unknown>;
  const props = (schema.properties ?? {}) as Record<string, TSchema>;
  for (const [key, s] of Object.entries(props)) {
    const given = raw[key];
    if (s.type === 'integer' && typeof given === 'string' && !INTEGER.test(given)) out[key] = given;
  }
  return out;
}

/**
 * Checks one part of a request against its TypeBox schema. `params` and `query` values are
 * converted from strings first (`?limit=10` becomes a number). Throws a 400 problem naming every
 * bad field (at most 20). Text the schema declares as a string must not hold NUL characters or
 * unpaired surrogates (databases store it as text); free-form data (`Type.Unknown`) may.
 *
 * @example
 * ```ts
 * const body = checkPart('body', CreateWorkflowBody, req.body);
 * ```
 */
export function checkPart<T>(where: 'body' | 'query' | 'params', schema: TSchema, value: unknown): T {
  const input = where === 'body' ? value : converted(schema, value);
  const errors: FieldProblem[] = [];
  if (Value.Check(schema, input)) {
    const bad = badText(schema, input, '');
    if (!bad) return input as T;
    errors.push({ in: where, path: bad.path, message: bad.message });
  } else {
    for (const e of Value.Errors(schema, input)) {
      errors.push({ in: where, path: e.path || '/', message: e.message });
      if (errors.length >= 20) break;
    }
  }
  const first = errors[0];
  const what =
    where === 'body'
      ? `request body${first && first.path !== '/' ? ` field ${first.path}` : ''}`
      : `${where === 'query' ? 'query parameter' : 'path parameter'} ${first?.path.replace(/^\//, '') || '(unknown)'}`;
  const code = where === 'body' ? 'invalid-body' : where === 'query' ? 'invalid-query' : 'invalid-path-parameter';
  throw new ProblemError(400, code, `Invalid ${what}: ${first?.message ?? 'does not match the schema'}`, { errors });
}
