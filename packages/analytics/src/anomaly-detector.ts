const HOUR = 3_600_000;
const WEEK_HOURS = 168;
const MAD_TO_SIGMA = 1.4826;

/** Options of {@link createAnomalyDetector}. */
export interface AnomalyDetectorOptions {
  /** Robust z-score at which a value is an anomaly (default 4.5). */
  threshold?: number;
  /** Values kept per hour-of-week slot, newest replacing oldest (default 8: two months of weeks). */
  seasonHistory?: number;
  /** Slot values needed before the seasonal baseline is used (default 3). */
  minSeasonHistory?: number;
  /** Most recent values kept for the non-seasonal baseline used while slots warm up (default 48). */
  recentHistory?: number;
  /** Smallest deviation scale, as a share of the baseline's median (default 0.1), so flat series do not alarm on noise. */
  minRelativeScale?: number;
  /** Smallest deviation scale in the series' own unit (default 1e-6). */
  minAbsoluteScale?: number;
  /** Shift of local time from UTC in minutes, for the hour-of-week slot (default 0). */
  utcOffsetMinutes?: number;
}

/** What {@link AnomalyDetector.update} says about one value. */
export interface AnomalyVerdict {
  /** 0..1: 0 is at the baseline, 0.5 at the threshold, 1 at twice the threshold or beyond. */
  score: number;
  anomaly: boolean;
}

/** A detector for one numeric series; see {@link createAnomalyDetector}. */
export interface AnomalyDetector {
  /** Scores `value` observed at `timestamp` (epoch ms) against the baseline, then learns from it. */
  update(timestamp: number, value: number): AnomalyVerdict;
}

/**
 * Seasonal, outlier-robust anomaly detection for one series (rate, error rate, duration). Each
 * value is compared with the values seen in the same hour of the week (168 slots): baseline = median of
 * the slot's last `seasonHistory` values, scale = 1.4826 x their median absolute deviation (a
 * standard deviation that outliers cannot inflate), robust z = |value - median| / scale. While a
 * slot has fewer than `minSeasonHistory` values, the last `recentHistory` values of the series
 * serve instead (three weeks of warm-up). A value judged against its slot is learnt clamped to
 * median +- threshold x scale, so an incident does not drag the baseline toward itself; during
 * warm-up values are learnt as they are, since the non-seasonal baseline would distort the season. Memory is bounded (168 x seasonHistory + recentHistory
 * numbers) and the result depends only on the values given, in order: no clock, no randomness.
 *
 * @example
 * ```ts
 * const detector = createAnomalyDetector({ threshold: 4.5 });
 * const { score, anomaly } = detector.update(Date.parse('2026-03-02T09:00:00Z'), 1250);
 * ```
 */
export function createAnomalyDetector(options: AnomalyDetectorOptions = {}): AnomalyDetector {
  const threshold = options.threshold ?? 4.5;
  const seasonHistory = options.seasonHistory ?? 8;
  const minSeason = options.minSeasonHistory ?? 3;
  const recentMax = options.recentHistory ?? 48;
  const minRelative = options.minRelativeScale ?? 0.1;
  const minAbsolute = options.minAbsoluteScale ?? 1e-6;
  const offset = (options.utcOffsetMinutes ?? 0) * 60_000;
  if (!(threshold > 0)) throw new RangeError(`threshold must be > 0, got ${threshold}`);
  const slots: number[][] = Array.from({ length: WEEK_HOURS }, () => []);
  const recent: number[] = [];

  return {
    update(timestamp, value) {
      if (!Number.isFinite(timestamp) || !Number.isFinite(value)) {
        throw new RangeError(`update takes finite numbers, got (${timestamp}, ${value})`);
      }
      const hour = Math.floor((timestamp + offset) / HOUR);
      const slot = slots[((hour % WEEK_HOURS) + WEEK_HOURS) % WEEK_HOURS]!;
      const history = slot.length >= minSeason ? slot : recent.length >= minSeason * 4 ? recent : undefined;
      let verdict: AnomalyVerdict = { score: 0, anomaly: false };
      let learnt = value;
      if (history) {
        const median = medianOf(history);
        const mad = medianOf(history.map((v) => Math.abs(v - median)));
        const scale = Math.max(MAD_TO_SIGMA * mad, minRelative * Math.abs(median), minAbsolute);
        const z = Math.abs(value - median) / scale;
        verdict = { score: Math.min(1, z / (2 * threshold)), anomaly: z >= threshold };
        if (history === slot)
          learnt = Math.min(median + threshold * scale, Math.max(median - threshold * scale, value));
      }
      push(slot, learnt, seasonHistory);
      push(recent, learnt, recentMax);
      return verdict;
    },
  };
}

function push(ring: number[], value: number, max: number): void {
  ring.push(value);
  if (ring.length > max) ring.shift();
}

function medianOf(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
