import { ProblemError } from '../http/problem.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { CliError } from './cli-error.js';

/**
 * The runtime holding a workspace's data, for CLI commands: with `WEFT_REGIONS` its region's
 * (ADR 0014), else `rt`. Refusals (no such workspace, no region, region not configured) become
 * one-line CLI errors.
 *
 * @example
 * ```ts
 * const home = await workspaceRuntime(rt, 'ws1'); // the EU runtime for an EU workspace
 * ```
 */
export async function workspaceRuntime(rt: HostRuntime, workspaceId: string): Promise<HostRuntime> {
  if (!(await rt.identity.workspace(workspaceId))) throw new CliError(`Workspace "${workspaceId}" not found`, 1);
  if (!rt.residency) return rt;
  try {
    return await rt.residency.runtimeOf(workspaceId);
  } catch (err) {
    if (err instanceof ProblemError) throw new CliError(err.message, 1);
    throw err;
  }
}

/**
 * The region a command names with `--region`: its name and runtime. Without `WEFT_REGIONS` a
 * `--region` is refused; without `--region` it is the default region (or `rt` itself when there
 * are no regions).
 *
 * @example
 * ```ts
 * const { name, runtime } = regionRuntime(rt, 'eu');
 * ```
 */
export function regionRuntime(rt: HostRuntime, region: string | undefined): { name?: string; runtime: HostRuntime } {
  const residency = rt.residency;
  if (!residency) {
    if (region !== undefined) throw new CliError('--region needs WEFT_REGIONS (this host has no regions)', 2);
    return { runtime: rt };
  }
  const name = region ?? residency.defaultRegion;
  const runtime = residency.runtimes.get(name);
  if (!runtime) throw new CliError(`--region must be one of ${residency.names.join(', ')}, got "${name}"`, 2);
  return { name, runtime };
}
