import { type Static, Type } from '@sinclair/typebox';
import type { ExecutionMode, ExecutionStatus } from '@weft/engine';
import type { ExecutionSearch, JsonScalar } from '@weft/sql';
import { ProblemError } from '../http/problem.js';
import { IdString, KeysetCursor } from '../http/schemas.js';

const STATUSES: readonly ExecutionStatus[] = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];
// A Record over the union: adding an ExecutionMode without listing it here does not compile.
const MODE_NAMES: Record<ExecutionMode, true> = {
  manual: true,
  webhook: true,
  schedule: true,
  test: true,
  debug: true,
  retry: true,
  trigger: true,
  subworkflow: true,
  error: true,
};
const MODES = Object.keys(MODE_NAMES);

const commaList = (values: readonly string[]) => `^(${values.join('|')})(,(${values.join('|')}))*$`;
const KEY = '[A-Za-z0-9_$@ -]{1,100}';
const Millis = (description: string) => Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000, description });

/** Query parameters of `GET /workspaces/:workspaceId/executions` (they also document it in OpenAPI). */
export const ExecutionSearchQuery = Type.Object({
  workflowId: Type.Optional(IdString),
  status: Type.Optional(
    Type.String({ pattern: commaList(STATUSES), description: 'Comma-separated statuses, e.g. `failed,cancelled`' }),
  ),
  mode: Type.Optional(
    Type.String({ pattern: commaList(MODES), description: 'Comma-separated modes, e.g. `webhook,schedule`' }),
  ),
  since: Type.Optional(Millis('Started at or after (epoch ms)')),
  until: Type.Optional(Millis('Started before (epoch ms)')),
  minDurationMs: Type.Optional(Millis('Finished executions that ran at least this long')),
  maxDurationMs: Type.Optional(Millis('Finished executions that ran at most this long')),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Execution id prefix or error text' })),
  contains: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Text in the trigger input or any node run (input, output, error), case-insensitive',
    }),
  ),
  field: Type.Optional(
    Type.String({
      pattern: `^${KEY}(\\.${KEY}){0,9}$`,
      description:
        'Dot path inside an item’s `json` (a leading `json.` is optional), e.g. `customer.email`; with `value`',
    }),
  ),
  value: Type.Optional(
    Type.String({
      maxLength: 500,
      description: 'Value of `field`: JSON (`42`, `true`, `null`, `"42"`), else plain text',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'Page size (default 50)' })),
  scanLimit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 10_000,
      description:
        'With `contains` or `field`: executions examined per request (default 1000); a page that stopped there has `scanLimitReached`',
    }),
  ),
  cursor: Type.Optional(KeysetCursor),
});

const bad = (name: string, message: string) =>
  new ProblemError(400, 'invalid-query', `Invalid query parameter ${name}: ${message}`, {
    errors: [{ in: 'query', path: `/${name}`, message }],
  });

function scalar(text: string): JsonScalar {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (parsed !== null && typeof parsed === 'object') throw bad('value', 'must be a JSON scalar or plain text');
  return parsed as JsonScalar;
}

/**
 * Turns validated query parameters into a search, checking what one schema cannot: ranges in
 * order, `field` and `value` together.
 *
 * @example
 * ```ts
 * const search = toExecutionSearch({ status: 'failed', field: 'json.customer', value: 'acme' });
 * ```
 */
export function toExecutionSearch(query: Static<typeof ExecutionSearchQuery>): ExecutionSearch {
  if (query.since !== undefined && query.until !== undefined && query.until <= query.since)
    throw bad('until', 'must be later than since');
  if (
    query.minDurationMs !== undefined &&
    query.maxDurationMs !== undefined &&
    query.maxDurationMs < query.minDurationMs
  )
    throw bad('maxDurationMs', 'must be at least minDurationMs');
  if ((query.field === undefined) !== (query.value === undefined))
    throw query.field === undefined ? bad('field', 'is required with value') : bad('value', 'is required with field');
  const path = query.field?.split('.');
  if (path?.[0] === 'json' && path.length > 1) path.shift();
  return {
    limit: query.limit ?? 50,
    ...(query.workflowId ? { workflowId: query.workflowId } : {}),
    ...(query.status ? { status: query.status.split(',') as ExecutionStatus[] } : {}),
    ...(query.mode ? { mode: query.mode.split(',') as ExecutionMode[] } : {}),
    ...(query.since !== undefined ? { since: query.since } : {}),
    ...(query.until !== undefined ? { until: query.until } : {}),
    ...(query.minDurationMs !== undefined ? { minDurationMs: query.minDurationMs } : {}),
    ...(query.maxDurationMs !== undefined ? { maxDurationMs: query.maxDurationMs } : {}),
    ...(query.q ? { q: query.q } : {}),
    ...(query.contains ? { contains: query.contains } : {}),
    ...(path && query.value !== undefined ? { field: { path, value: scalar(query.value) } } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
    ...(query.scanLimit !== undefined ? { scanLimit: query.scanLimit } : {}),
  };
}
