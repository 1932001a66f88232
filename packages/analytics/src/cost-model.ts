/** Prices of what executions use, in one currency. */
export interface CostModel {
  currency: string;
  /** Price of one second of execution time. */
  perComputeSecond: number;
  /** Price of one call per node type (e.g. `{ 'http.request': 0.0001 }`); unlisted types cost nothing. */
  perCall?: Readonly<Record<string, number>>;
  /** Price of 1,000 AI tokens. */
  perThousandAiTokens?: number;
  /** Flat price of one execution. */
  perExecution?: number;
}

/** What a workflow used in a period. */
export interface Usage {
  computeMs: number;
  /** Node runs per node type. */
  calls?: Readonly<Record<string, number>>;
  aiTokens?: number;
  /** Executions started (priced by `perExecution`). */
  executions?: number;
}

/** What the business gains from a workflow: minutes of manual work each successful production run saves. */
export interface ValueModel {
  minutesSavedPerRun: number;
  /** Price of an hour of the work saved, in the cost model's currency. */
  hourlyRate: number;
}

/** Cost, value and return of one workflow over one period. */
export interface RoiReport {
  currency: string;
  cost: { compute: number; executions: number; calls: number; ai: number; total: number };
  successfulRuns: number;
  hoursSaved: number;
  value: number;
  /** value - cost.total. */
  net: number;
  /** net / cost.total, or null when nothing was spent. */
  roi: number | null;
}

/**
 * Cost of a workflow's usage and the return on it: cost = compute seconds x price + calls x
 * their prices + AI tokens / 1000 x price; value = successful production runs x minutes saved /
 * 60 x hourly rate; ROI = (value - cost) / cost. Amounts are rounded to 1/10,000 of the currency.
 *
 * @example
 * ```ts
 * const r = roiReport({ currency: 'EUR', perComputeSecond: 0.00002 }, { computeMs: 3_600_000 }, { minutesSavedPerRun: 5, hourlyRate: 40 }, 120);
 * r.value; // 400
 * ```
 */
export function roiReport(model: CostModel, usage: Usage, value: ValueModel, successfulRuns: number): RoiReport {
  for (const [name, v] of [
    ['perComputeSecond', model.perComputeSecond],
    ['minutesSavedPerRun', value.minutesSavedPerRun],
    ['hourlyRate', value.hourlyRate],
  ] as const) {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`${name} must be a number >= 0, got ${v}`);
  }
  const compute = (usage.computeMs / 1000) * model.perComputeSecond;
  let calls = 0;
  for (const [type, n] of Object.entries(usage.calls ?? {})) calls += n * (model.perCall?.[type] ?? 0);
  const ai = ((usage.aiTokens ?? 0) / 1000) * (model.perThousandAiTokens ?? 0);
  const executions = (usage.executions ?? 0) * (model.perExecution ?? 0);
  const total = compute + executions + calls + ai;
  const hoursSaved = (successfulRuns * value.minutesSavedPerRun) / 60;
  const gained = hoursSaved * value.hourlyRate;
  return {
    currency: model.currency,
    cost: {
      compute: money(compute),
      executions: money(executions),
      calls: money(calls),
      ai: money(ai),
      total: money(total),
    },
    successfulRuns,
    hoursSaved: money(hoursSaved),
    value: money(gained),
    net: money(gained - total),
    roi: total > 0 ? money((gained - total) / total) : null,
  };
}

function money(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/**
 * Rows as RFC 4180 CSV (CRLF line ends, fields quoted when they hold a comma, quote or line
 * break). A text field that starts with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so a
 * spreadsheet shows it instead of running it as a formula; numbers are written as they are.
 *
 * @example
 * ```ts
 * toCsv(['workflow', 'roi'], [['wf-1', 2.5]]); // 'workflow,roi\r\nwf-1,2.5\r\n'
 * ```
 */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (v: string | number | null) => {
    if (v === null) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  return [header, ...rows].map((r) => `${r.map(cell).join(',')}\r\n`).join('');
}
