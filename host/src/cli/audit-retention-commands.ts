import { archiveAudit, auditArchives, checkArchive, rotateAuditKey } from '../compliance/audit-retention.js';
import { CliError } from './cli-error.js';
import { withRuntime } from './maintenance-commands.js';

const DURATION = /^(\d+)([dh])$/;

/**
 * `weft audit archive --workspace id (--through N | --older-than 90d) [--out file]`: moves the
 * entries into a signed bundle (the compliance-docs bucket, or `--out`) and prunes them; the rest
 * still verifies.
 *
 * @example
 * ```ts
 * await auditArchiveCommand({ workspace: 'ws_1', olderThan: '365d' }, console.log);
 * ```
 */
export async function auditArchiveCommand(
  options: {
    workspace?: string | undefined;
    through?: string | undefined;
    olderThan?: string | undefined;
    out?: string | undefined;
  },
  out: (line: string) => void,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  if (!options.workspace)
    throw new CliError('Usage: weft audit archive --workspace id (--through N | --older-than 90d) [--out file]', 2);
  const workspace = options.workspace;
  let range: { throughPosition?: number; before?: number };
  if (options.through !== undefined && /^[1-9]\d{0,15}$/.test(options.through))
    range = { throughPosition: Number(options.through) };
  else if (options.olderThan !== undefined && DURATION.test(options.olderThan)) {
    const [, n, unit] = DURATION.exec(options.olderThan) as RegExpExecArray;
    range = { before: Date.now() - Number(n) * (unit === 'd' ? 86_400_000 : 3_600_000) };
  } else throw new CliError('Give --through <position> or --older-than <N>d|<N>h (e.g. 90d)', 2);
  return withRuntime(env, async (rt) => {
    try {
      const a = await archiveAudit(
        rt,
        workspace,
        range,
        options.out ? { kind: 'file', path: options.out } : { kind: 'bucket' },
      );
      out(
        `${workspace}: archived entries ${a.fromPosition}..${a.throughPosition} to ${a.location} (sha256 ${a.sha256}), pruned ${a.pruned}`,
      );
      return 0;
    } catch (e) {
      if (e instanceof RangeError) throw new CliError(e.message, 1);
      throw e;
    }
  });
}

/**
 * `weft audit archives --workspace id`: lists the archives of a chain and checks each bundle
 * against its signed statement; exits 1 when one does not match.
 */
export async function auditArchivesCommand(
  options: { workspace?: string | undefined },
  out: (line: string) => void,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  if (!options.workspace) throw new CliError('Usage: weft audit archives --workspace id', 2);
  const workspace = options.workspace;
  return withRuntime(env, async (rt) => {
    let bad = 0;
    for (const a of await auditArchives(rt, workspace)) {
      const problem = await checkArchive(rt, a);
      if (problem) bad++;
      out(`${a.fromPosition}..${a.throughPosition} ${a.location}: ${problem ?? 'ok'}`);
    }
    return bad ? 1 : 0;
  });
}

/**
 * `weft audit rotate-key`: signs a checkpoint of every chain with the current key, retires it
 * (its public key keeps verifying what it signed) and generates a new one. Restart host processes
 * afterwards so they sign with the new key.
 */
export async function auditRotateKeyCommand(
  out: (line: string) => void,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  return withRuntime(env, async (rt) => {
    try {
      const r = await rotateAuditKey(rt, env);
      out(
        `audit signing key rotated: ${r.from} -> ${r.to} (${r.checkpoints} chain heads signed with the old key first)`,
      );
      return 0;
    } catch (e) {
      throw new CliError((e as Error).message, 1);
    }
  });
}
