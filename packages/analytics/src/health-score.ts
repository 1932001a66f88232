/** What a health score is computed from, over one period of one workflow (or a whole workspace). */
export interface HealthInputs {
  /** Finished executions in the period. */
  runs: number;
  /** Of which succeeded. */
  succeeded: number;
  /** p95 execution duration (ms), when there were runs. */
  p95Ms?: number;
  /** The p95 latency objective (ms); without one the latency factor scores full marks. */
  latencySloMs?: number;
  /** Node runs and the attempts beyond the first that they needed. */
  nodeRuns: number;
  retries: number;
  /** Jobs in the dead-letter queue for these executions. */
  deadLetters: number;
  /** When an execution last succeeded (epoch ms), if ever. */
  lastSuccessAt?: number;
  /** Now (epoch ms). */
  now: number;
  /** How long without a success is still healthy (default 24 h). */
  expectedSuccessIntervalMs?: number;
}

/** The factors of a health score, each worth up to its `weight` points. */
export type HealthFactorName = 'success' | 'latency' | 'retries' | 'deadLetters' | 'recency';

/** One factor's share of a health score. */
export interface HealthFactor {
  factor: HealthFactorName;
  /** Most points this factor gives. */
  weight: number;
  /** Points it gave (0..weight); `weight - points` is what fixing it would add. */
  points: number;
  /** The measured value (ratio, ms, count) the points come from, or null without data. */
  value: number | null;
  /** What the points mean, for people. */
  detail: string;
}

/** A health score with its factors. */
export interface HealthScore {
  /** 0..100, the sum of the factors' points, rounded. */
  score: number;
  factors: HealthFactor[];
}

const DAY = 86_400_000;

/** Weights of the factors; they add up to 100. */
export const HEALTH_WEIGHTS: Readonly<Record<HealthFactorName, number>> = {
  success: 40,
  latency: 20,
  retries: 15,
  deadLetters: 15,
  recency: 10,
};

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * Scores a workflow's health 0-100 from five factors, each linear between a healthy and a failing
 * bound: success ratio (40 points: 100% full, 80% or less none), p95 latency against its
 * objective (20: at or under it full, twice it or more none), retry rate per node run (15: none
 * full, 20% or more none), dead letters per run (15: none full, 5% or more none) and time since
 * the last success (10: within `expectedSuccessIntervalMs` full, 7 days more none). A factor
 * without data (no runs, no objective) gives full points and says so.
 *
 * @example
 * ```ts
 * const { score, factors } = healthScore({ runs: 200, succeeded: 190, nodeRuns: 800, retries: 8, deadLetters: 0, now: Date.now(), lastSuccessAt: Date.now() });
 * ```
 */
export function healthScore(input: HealthInputs): HealthScore {
  const w = HEALTH_WEIGHTS;
  const factors: HealthFactor[] = [];
  const add = (factor: HealthFactorName, share: number, value: number | null, detail: string) =>
    factors.push({ factor, weight: w[factor], points: round2(w[factor] * clamp01(share)), value, detail });

  if (input.runs > 0) {
    const ratio = input.succeeded / input.runs;
    add('success', (ratio - 0.8) / 0.2, ratio, `${pct(ratio)} of ${input.runs} runs succeeded`);
  } else add('success', 1, null, 'no finished runs in the period');

  if (input.latencySloMs && input.p95Ms !== undefined) {
    const over = input.p95Ms / input.latencySloMs;
    add(
      'latency',
      2 - over,
      input.p95Ms,
      `p95 ${Math.round(input.p95Ms)} ms against an objective of ${input.latencySloMs} ms`,
    );
  } else
    add(
      'latency',
      1,
      input.p95Ms ?? null,
      input.latencySloMs ? 'no finished runs in the period' : 'no latency objective set',
    );

  if (input.nodeRuns > 0) {
    const rate = input.retries / input.nodeRuns;
    add('retries', 1 - rate / 0.2, rate, `${pct(rate)} retries per node run`);
  } else add('retries', 1, null, 'no node runs in the period');

  if (input.runs > 0) {
    const rate = input.deadLetters / input.runs;
    add('deadLetters', 1 - rate / 0.05, input.deadLetters, `${input.deadLetters} dead letters for ${input.runs} runs`);
  } else add('deadLetters', input.deadLetters ? 0 : 1, input.deadLetters, `${input.deadLetters} dead letters, no runs`);

  const expected = input.expectedSuccessIntervalMs ?? DAY;
  if (input.lastSuccessAt !== undefined) {
    const since = Math.max(0, input.now - input.lastSuccessAt);
    add('recency', 1 - (since - expected) / (7 * DAY), since, `last success ${Math.round(since / 60_000)} min ago`);
  } else if (input.runs > 0) add('recency', 0, null, 'no successful run yet');
  else add('recency', 1, null, 'no runs yet');

  const total = factors.reduce((s, f) => s + f.points, 0);
  return { score: Math.round(total), factors };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function pct(x: number): string {
  return `${round2(x * 100)}%`;
}
