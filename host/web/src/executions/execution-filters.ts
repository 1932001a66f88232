import type { ExecutionQuery, ExecutionRecord } from '@weft/client';

type Status = ExecutionRecord['status'];
type Mode = ExecutionRecord['mode'];

/** Statuses offered as filters, in the order the chips show them. */
export const STATUSES: readonly Status[] = ['succeeded', 'failed', 'waiting', 'running', 'queued', 'cancelled'];
/** Modes offered as filters. */
export const MODES: readonly Mode[] = [
  'manual',
  'webhook',
  'schedule',
  'trigger',
  'test',
  'debug',
  'retry',
  'subworkflow',
  'error',
];

/** What the executions page searches for; every set filter must hold. */
export interface ExecutionFilters {
  workflowId?: string;
  status: Status[];
  mode: Mode[];
  /** Started at or after (epoch ms). */
  since?: number;
  /** Started before (epoch ms). */
  until?: number;
  /** Execution id prefix or error text. */
  q?: string;
  /** Text anywhere in the trigger input or a node run. */
  contains?: string;
  /** Dot path in an item's `json`, searched together with `value`. */
  field?: string;
  value?: string;
  /** Executions a content search examines per page (the host's default when unset); links only. */
  scanLimit?: number;
}

/** Filters read from a link, and what in it was ignored (a hand-edited or outdated link). */
export interface ParsedFilters {
  filters: ExecutionFilters;
  ignored: string[];
}

const TEXT_KEYS = ['workflowId', 'q', 'contains', 'field', 'value'] as const;

function time(raw: string | null, name: string, ignored: string[]): number | undefined {
  if (!raw) return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (Number.isFinite(ms)) return ms;
  ignored.push(`${name}: "${raw}" is not a date`);
  return undefined;
}

function list<T extends string>(raw: string | null, allowed: readonly T[], name: string, ignored: string[]): T[] {
  const out: T[] = [];
  for (const v of (raw ?? '').split(',').map((s) => s.trim())) {
    if (!v) continue;
    if ((allowed as readonly string[]).includes(v)) {
      if (!out.includes(v as T)) out.push(v as T);
    } else ignored.push(`${name}: unknown value "${v}"`);
  }
  return out;
}

/**
 * Reads the filters from the page's query string (the format {@link filtersToSearch} writes:
 * comma lists, ISO or epoch-ms times), so a shared link restores the search. Unknown values are
 * left out and reported in `ignored`.
 *
 * @example
 * ```ts
 * parseFilters(new URLSearchParams('status=failed,cancelled&contains=acme')).filters
 * // { status: ['failed', 'cancelled'], mode: [], contains: 'acme' }
 * ```
 */
export function parseFilters(params: URLSearchParams): ParsedFilters {
  const ignored: string[] = [];
  const filters: ExecutionFilters = {
    status: list(params.get('status'), STATUSES, 'status', ignored),
    mode: list(params.get('mode'), MODES, 'mode', ignored),
  };
  const since = time(params.get('since'), 'since', ignored);
  const until = time(params.get('until'), 'until', ignored);
  if (since !== undefined) filters.since = since;
  if (until !== undefined) filters.until = until;
  const scan = params.get('scanLimit');
  if (scan) {
    const n = Number(scan);
    if (Number.isInteger(n) && n >= 1 && n <= 10_000) filters.scanLimit = n;
    else ignored.push(`scanLimit: "${scan}" is not a whole number from 1 to 10000`);
  }
  for (const key of TEXT_KEYS) {
    const v = params.get(key)?.trim();
    if (v) filters[key] = v;
  }
  return { filters, ignored };
}

/**
 * The query string for the filters (without `?`), in a stable order; empty when none is set.
 *
 * @example
 * ```ts
 * filtersToSearch({ status: ['failed'], mode: [], since: Date.UTC(2026, 0, 5) })
 * // 'status=failed&since=2026-01-05T00%3A00%3A00.000Z'
 * ```
 */
export function filtersToSearch(f: ExecutionFilters): string {
  const p = new URLSearchParams();
  if (f.workflowId) p.set('workflowId', f.workflowId);
  if (f.status.length) p.set('status', f.status.join(','));
  if (f.mode.length) p.set('mode', f.mode.join(','));
  if (f.since !== undefined) p.set('since', new Date(f.since).toISOString());
  if (f.until !== undefined) p.set('until', new Date(f.until).toISOString());
  for (const key of ['q', 'contains', 'field', 'value'] as const) if (f[key]) p.set(key, f[key]);
  if (f.scanLimit !== undefined) p.set('scanLimit', String(f.scanLimit));
  return p.toString();
}

/**
 * Why the filters cannot be searched as they are (shown beside the form), or an empty list.
 *
 * @example
 * ```ts
 * filterProblems({ status: [], mode: [], field: 'customer.email' }) // ['Give a value to look for in customer.email']
 * ```
 */
export function filterProblems(f: ExecutionFilters): string[] {
  const problems: string[] = [];
  if (f.since !== undefined && f.until !== undefined && f.until <= f.since)
    problems.push('“To” must be later than “From”');
  if (f.field && !f.value) problems.push(`Give a value to look for in ${f.field}`);
  if (f.value && !f.field) problems.push('Give the field to look for the value in (e.g. customer.email)');
  return problems;
}

/** Whether the filters read stored payloads (`contains`, `field`), which the host scans in a bounded window. */
export function isContentSearch(f: ExecutionFilters): boolean {
  return Boolean(f.contains || (f.field && f.value));
}

/** Whether any filter is set. */
export function isFiltered(f: ExecutionFilters): boolean {
  return filtersToSearch(f) !== '';
}

/**
 * The API query for the filters (one page, from `cursor`).
 *
 * @example
 * ```ts
 * await client.executions.list(ws, toExecutionQuery(filters, { limit: 50 }));
 * ```
 */
export function toExecutionQuery(f: ExecutionFilters, page: { limit?: number; cursor?: string } = {}): ExecutionQuery {
  return {
    ...page,
    ...(f.workflowId ? { workflowId: f.workflowId } : {}),
    ...(f.status.length ? { status: f.status } : {}),
    ...(f.mode.length ? { mode: f.mode } : {}),
    ...(f.since !== undefined ? { since: f.since } : {}),
    ...(f.until !== undefined ? { until: f.until } : {}),
    ...(f.q ? { q: f.q } : {}),
    ...(f.contains ? { contains: f.contains } : {}),
    ...(f.field && f.value ? { field: f.field, value: f.value } : {}),
    ...(f.scanLimit !== undefined && isContentSearch(f) ? { scanLimit: f.scanLimit } : {}),
  };
}

/**
 * Whether a cached execution passes the filters that can be checked without the host (workflow,
 * status, mode, start time); used for the offline history.
 */
export function matchesOffline(f: ExecutionFilters, x: ExecutionRecord): boolean {
  return (
    (!f.workflowId || x.workflowId === f.workflowId) &&
    (!f.status.length || f.status.includes(x.status)) &&
    (!f.mode.length || f.mode.includes(x.mode)) &&
    (f.since === undefined || x.startedAt >= f.since) &&
    (f.until === undefined || x.startedAt < f.until)
  );
}

/** An epoch-ms time as the value of a `datetime-local` input (the browser's time zone). */
export function toLocalInput(ms: number | undefined): string {
  if (ms === undefined) return '';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` input's value as epoch ms (the browser's time zone); undefined when empty. */
export function fromLocalInput(value: string): number | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}
