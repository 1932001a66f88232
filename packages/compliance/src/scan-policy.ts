import type { ScanFinding, ScanSeverity } from './scan-workflow.js';

/** Severities from most to least severe. */
export const SCAN_SEVERITIES: readonly ScanSeverity[] = ['critical', 'high', 'medium', 'low'];

const RANK: Record<ScanSeverity, number> = { critical: 3, high: 2, medium: 1, low: 0 };

/** How many findings of each severity. */
export type SeverityCounts = Record<ScanSeverity, number>;

/**
 * Counts findings per severity.
 *
 * @example
 * ```ts
 * severityCounts(scanWorkflow(wf)); // { critical: 1, high: 0, medium: 2, low: 1 }
 * ```
 */
export function severityCounts(findings: readonly ScanFinding[]): SeverityCounts {
  const counts: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/**
 * The findings at or above `threshold` (all of them for `low`, none for `off`): what refuses an
 * activation when a workspace blocks at that severity.
 *
 * @example
 * ```ts
 * const blocking = findingsAtOrAbove(findings, 'high');
 * if (blocking.length) throw new Error(describeFindings(blocking));
 * ```
 */
export function findingsAtOrAbove(findings: readonly ScanFinding[], threshold: ScanSeverity | 'off'): ScanFinding[] {
  if (threshold === 'off') return [];
  return findings.filter((f) => RANK[f.severity] >= RANK[threshold]);
}

/**
 * Reads a severity threshold (`critical`, `high`, `medium`, `low` or `off`), case-insensitive;
 * throws naming `where` and the allowed values otherwise.
 *
 * @example
 * ```ts
 * parseScanThreshold(process.env.WEFT_SCAN_BLOCK_SEVERITY ?? 'critical', 'WEFT_SCAN_BLOCK_SEVERITY');
 * ```
 */
export function parseScanThreshold(text: string, where: string): ScanSeverity | 'off' {
  const v = text.trim().toLowerCase();
  if (v === 'off' || (SCAN_SEVERITIES as readonly string[]).includes(v)) return v as ScanSeverity | 'off';
  throw new Error(`${where} must be one of critical, high, medium, low, off (got "${text}")`);
}

/**
 * One line per finding — severity, rule, where, and what to do — for error messages and the CLI.
 *
 * @example
 * ```ts
 * describeFindings(findings); // 'critical secret/aws-access-key-id at /nodes/0/parameters/key: Hard-coded …'
 * ```
 */
export function describeFindings(findings: readonly ScanFinding[]): string {
  return findings.map((f) => `${f.severity} ${f.ruleId} at ${f.pointer}: ${f.message}`).join('; ');
}
