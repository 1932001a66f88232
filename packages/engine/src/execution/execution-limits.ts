/**
 * Per-execution limits. A run that crosses one stops with a `LIMIT_EXCEEDED` error naming it.
 *
 * @example
 * ```ts
 * new WorkflowEngine({ limits: { maxNodeRuns: 500, maxDurationMs: 60_000 } });
 * ```
 */
export interface ExecutionLimits {
  /** Node runs in one execution, loops included. */
  maxNodeRuns: number;
  /** Items one node may emit in one run (all ports together). */
  maxItemsPerNode: number;
  /** Serialised size (UTF-16 code units of its JSON) of one node run's output. */
  maxPayloadBytes: number;
  /** Wall-clock time of one execution run, excluding time parked as `waiting`. */
  maxDurationMs: number;
  /** Nesting of sub-workflows. */
  maxSubWorkflowDepth: number;
}

/** The defaults: generous for real work, small enough to stop a runaway. */
export const DEFAULT_LIMITS: ExecutionLimits = {
  maxNodeRuns: 10_000,
  maxItemsPerNode: 100_000,
  maxPayloadBytes: 64 * 1024 * 1024,
  maxDurationMs: 60 * 60 * 1000,
  maxSubWorkflowDepth: 10,
};
