import { existsSync } from 'node:fs';
import {
  describeFindings,
  findingsAtOrAbove,
  parseScanThreshold,
  type ScanFinding,
  sarifReport,
  scanWorkflow,
  severityCounts,
} from '@weft/compliance';
import type { NodeRegistry, StoredWorkflow } from '@weft/engine';
import { recordScan } from '../compliance/workflow-scans.js';
import { CliError } from './cli-error.js';
import { withRuntime } from './maintenance-commands.js';
import { loadValidWorkflow } from './validate-command.js';

/** Options of {@link scanCommand}. */
export interface ScanCommandOptions {
  /** A workflow file (JSON/YAML) or, when no such file exists, a stored workflow's id. */
  target: string;
  /** Workspace of a stored workflow; without it every workspace is searched for the id. */
  workspace?: string | undefined;
  format?: string | undefined;
  /** Exit 1 when a finding is at or above this severity. */
  failOn?: string | undefined;
}

/**
 * `weft scan <file|workflow id> [--workspace id] [--format text|json|sarif] [--fail-on high]`:
 * scans a workflow file, or a stored workflow (whose run is then stored like a save's), and prints
 * the findings; exits 1 when any is at or above `--fail-on`, 2 on bad usage.
 *
 * @example
 * ```ts
 * const code = await scanCommand({ target: 'flows/orders.json', format: 'sarif', failOn: 'high' }, registry, console.log);
 * ```
 */
export async function scanCommand(
  options: ScanCommandOptions,
  registry: NodeRegistry,
  out: (line: string) => void,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const format = options.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format))
    throw new CliError(`--format must be text, json or sarif (got "${format}")`, 2);
  let failOn: ReturnType<typeof parseScanThreshold> = 'off';
  try {
    if (options.failOn !== undefined) failOn = parseScanThreshold(options.failOn, '--fail-on');
  } catch (e) {
    throw new CliError((e as Error).message, 2);
  }
  let findings: ScanFinding[];
  let uri: string;
  if (existsSync(options.target)) {
    findings = scanWorkflow(await loadValidWorkflow(options.target, registry));
    uri = options.target;
  } else {
    const stored = await withRuntime(env, async (rt) => {
      const spaces = options.workspace ? [options.workspace] : await rt.identity.listWorkspaceIds();
      let found: StoredWorkflow | undefined;
      for (const ws of spaces) found ??= await rt.engine.workflows.get(ws, options.target);
      if (!found)
        throw new CliError(
          `No workflow file or stored workflow "${options.target}"${options.workspace ? ` in workspace ${options.workspace}` : ''}`,
          2,
        );
      return { stored: found, run: await recordScan(rt, found, 'cli') };
    });
    findings = stored.run.findings;
    uri = `workflows/${stored.stored.id}.json`;
  }
  if (format === 'sarif') out(JSON.stringify(sarifReport(findings, uri), null, 2));
  else if (format === 'json') out(JSON.stringify({ findings, counts: severityCounts(findings) }, null, 2));
  else {
    for (const f of findings)
      out(`${f.severity.padEnd(8)} ${f.ruleId} ${uri}#${f.pointer}\n         ${f.message}. ${f.fix}.`);
    const c = severityCounts(findings);
    out(`${findings.length} finding(s): ${c.critical} critical, ${c.high} high, ${c.medium} medium, ${c.low} low`);
  }
  const failing = findingsAtOrAbove(findings, failOn);
  if (failing.length && format === 'text') out(`Failing (--fail-on ${failOn}): ${describeFindings(failing)}`);
  return failing.length ? 1 : 0;
}
