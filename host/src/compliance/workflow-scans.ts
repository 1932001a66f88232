import { randomUUID } from 'node:crypto';
import {
  describeFindings,
  findingsAtOrAbove,
  parseScanThreshold,
  type ScanFinding,
  type ScanSeverity,
  scanWorkflow,
  severityCounts,
} from '@weft/compliance';
import type { StoredWorkflow, Workflow } from '@weft/engine';
import { SqlComplianceSettings, SqlScanRuns, type StoredScanRun } from '@weft/sql';
import { InvalidWorkflowError } from '../runtime/host-error.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

/** The host-wide default when a workspace sets none: hard-coded secrets block activation. */
export const DEFAULT_SCAN_BLOCK_SEVERITY = 'critical';

/** A stored scan run with typed findings. */
export type ScanRun = StoredScanRun<ScanFinding>;

/**
 * The severity at or above which a workspace's activations are refused: its
 * `compliance_settings.scan_block_severity`, else `WEFT_SCAN_BLOCK_SEVERITY`, else `critical`.
 *
 * @example
 * ```ts
 * await scanBlockSeverity(runtime, 'ws_1'); // 'critical'
 * ```
 */
export async function scanBlockSeverity(
  rt: HostRuntime,
  workspaceId: string,
  env: Record<string, string | undefined> = process.env,
): Promise<ScanSeverity | 'off'> {
  const own = (await new SqlComplianceSettings(rt.h).get(workspaceId)).scanBlockSeverity;
  if (own) return parseScanThreshold(own, 'scanBlockSeverity');
  return parseScanThreshold(env.WEFT_SCAN_BLOCK_SEVERITY ?? DEFAULT_SCAN_BLOCK_SEVERITY, 'WEFT_SCAN_BLOCK_SEVERITY');
}

/**
 * Scans a stored workflow version and stores the run (findings, counts per severity, version).
 *
 * @example
 * ```ts
 * const run = await recordScan(runtime, stored, 'save');
 * ```
 */
export async function recordScan(rt: HostRuntime, stored: StoredWorkflow, source: string): Promise<ScanRun> {
  const findings = scanWorkflow(stored.workflow);
  const run: ScanRun = {
    id: randomUUID(),
    workspaceId: stored.workspaceId,
    workflowId: stored.id,
    workflowVersion: stored.version,
    at: Date.now(),
    source,
    counts: severityCounts(findings),
    findings,
  };
  await new SqlScanRuns(rt.h).record(run);
  return run;
}

/**
 * Refuses (422 `scan-blocks-activation`) to put a workflow live while the scan finds problems at
 * or above the workspace's blocking severity; the error names each finding and its JSON pointer.
 * Called on activation and before saving a new version of an active workflow.
 *
 * @example
 * ```ts
 * await assertScanAllowsActivation(runtime, 'ws_1', workflow);
 * ```
 */
export async function assertScanAllowsActivation(rt: HostRuntime, workspaceId: string, wf: Workflow): Promise<void> {
  const threshold = await scanBlockSeverity(rt, workspaceId);
  const blocking = findingsAtOrAbove(scanWorkflow(wf), threshold);
  if (blocking.length === 0) return;
  throw new InvalidWorkflowError(
    'scan-blocks-activation',
    `Activation refused: the security scan found ${blocking.length} problem(s) at or above "${threshold}": ${describeFindings(blocking)}`,
    {
      threshold,
      findings: blocking,
      errors: blocking.map((f) => ({
        in: 'workflow',
        path: f.pointer,
        message: `${f.ruleId}: ${f.message}. ${f.fix}`,
      })),
    },
  );
}
