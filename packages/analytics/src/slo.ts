/** Good and bad events in one window. */
export interface WindowCounts {
  total: number;
  bad: number;
}

/** The windows {@link evaluateSlo} reads, named by length. */
export type SloWindow = '5m' | '30m' | '1h' | '6h' | '3d';

/** Lengths of the windows in milliseconds. */
export const SLO_WINDOWS_MS: Readonly<Record<SloWindow, number>> = {
  '5m': 300_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '6h': 21_600_000,
  '3d': 259_200_000,
};

/** One multi-window burn-rate rule: alert when both windows burn at least `burnRate`. */
export interface BurnRateRule {
  name: string;
  long: SloWindow;
  short: SloWindow;
  burnRate: number;
  severity: 'page' | 'ticket';
}

/**
 * The burn-rate rules of the Google SRE workbook for a 30-day objective: 2% of the budget in an
 * hour (14.4x), 5% in six hours (6x), 10% in three days (1x), each confirmed by a short window
 * (a twelfth of the long one) so an alert stops soon after the burn does.
 */
export const DEFAULT_BURN_RATE_RULES: readonly BurnRateRule[] = [
  { name: 'fast burn', long: '1h', short: '5m', burnRate: 14.4, severity: 'page' },
  { name: 'medium burn', long: '6h', short: '30m', burnRate: 6, severity: 'page' },
  { name: 'slow burn', long: '3d', short: '6h', burnRate: 1, severity: 'ticket' },
];

/** A service-level objective: the share of events that must be good. */
export interface SloObjective {
  /** 0..1, e.g. 0.99 for 99% of runs succeeding (or finishing under the latency target). */
  target: number;
  /** Events the long window needs before a rule may fire (default 50): few runs say little. */
  minimumEvents?: number;
  rules?: readonly BurnRateRule[];
}

/** One rule's state. */
export interface BurnRateAlert {
  rule: string;
  severity: 'page' | 'ticket';
  threshold: number;
  longBurnRate: number;
  shortBurnRate: number;
  firing: boolean;
  /** Why a rule whose rates cross the threshold stays quiet, e.g. too few events. */
  suppressed?: string;
}

/** An objective's error budget and alerts. */
export interface SloStatus {
  target: number;
  /** Events and bad events over the whole budget period. */
  total: number;
  bad: number;
  /** Share of the period's error budget used (1 = all of it; may exceed 1). */
  budgetConsumed: number;
  /** 1 - budgetConsumed, at least 0. */
  budgetRemaining: number;
  alerts: BurnRateAlert[];
}

/**
 * Error budget and multi-window burn-rate alerts of one objective. Burn rate = the window's bad
 * share / (1 - target): 1 spends the budget exactly over the period. A rule fires when both its
 * windows burn at least its rate and the long window holds `minimumEvents` events.
 *
 * @example
 * ```ts
 * const status = evaluateSlo({ target: 0.99 }, { period: { total: 10_000, bad: 40 }, windows: { '5m': { total: 20, bad: 5 }, ... } });
 * status.alerts.filter((a) => a.firing);
 * ```
 */
export function evaluateSlo(
  objective: SloObjective,
  counts: { period: WindowCounts; windows: Readonly<Record<SloWindow, WindowCounts>> },
): SloStatus {
  const { target } = objective;
  if (!(target > 0 && target < 1))
    throw new RangeError(`SLO target must be between 0 and 1 (exclusive), got ${target}`);
  const allowed = 1 - target;
  const minimum = objective.minimumEvents ?? 50;
  const burn = (c: WindowCounts) => (c.total > 0 ? round4(c.bad / c.total / allowed) : 0);
  const consumed = counts.period.total > 0 ? counts.period.bad / (allowed * counts.period.total) : 0;
  const alerts = (objective.rules ?? DEFAULT_BURN_RATE_RULES).map((rule): BurnRateAlert => {
    const long = counts.windows[rule.long];
    const longBurnRate = burn(long);
    const shortBurnRate = burn(counts.windows[rule.short]);
    const crossing = longBurnRate >= rule.burnRate && shortBurnRate >= rule.burnRate;
    const enough = long.total >= minimum;
    const alert: BurnRateAlert = {
      rule: rule.name,
      severity: rule.severity,
      threshold: rule.burnRate,
      longBurnRate,
      shortBurnRate,
      firing: crossing && enough,
    };
    if (crossing && !enough) alert.suppressed = `${long.total} events in ${rule.long}, fewer than ${minimum}`;
    return alert;
  });
  return {
    target,
    total: counts.period.total,
    bad: counts.period.bad,
    budgetConsumed: round4(consumed),
    budgetRemaining: round4(Math.max(0, 1 - consumed)),
    alerts,
  };
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
