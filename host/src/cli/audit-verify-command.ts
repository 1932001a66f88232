import { hostAudit } from '../compliance/host-audit.js';
import { withRuntime } from './maintenance-commands.js';

/**
 * `weft audit verify [--workspace id]`: walks every link and signed checkpoint of each audit chain
 * (or one workspace's) and prints the first broken entry of each; exits 1 when any chain is broken.
 *
 * @example
 * ```ts
 * const code = await auditVerifyCommand({ workspace: 'ws_1' }, console.log);
 * ```
 */
export async function auditVerifyCommand(
  options: { workspace?: string | undefined; json?: boolean },
  out: (line: string) => void,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  return withRuntime(env, async (rt) => {
    const log = hostAudit(rt, env).log;
    const results = options.workspace ? [await log.verify(options.workspace)] : await log.verifyAll();
    if (options.json) out(JSON.stringify(results, null, 2));
    else if (results.length === 0) out('No audit entries yet.');
    for (const r of options.json ? [] : results) {
      if (r.ok)
        out(`${r.workspaceId}: ok — ${r.entries} entries, ${r.checkpoints} signed checkpoints, head ${r.head.hash}`);
      else out(`${r.workspaceId}: BROKEN at entry ${r.broken?.position} — ${r.broken?.message}`);
    }
    return results.every((r) => r.ok) ? 0 : 1;
  });
}
