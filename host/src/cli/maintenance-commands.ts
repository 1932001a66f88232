import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redactor } from '@weft/connectors';
import { hashPassword } from '../auth/password.js';
import { ROLES, type Role } from '../auth/roles.js';
import { subjectSealing } from '../compliance/subject-sealing.js';
import { loadConfig } from '../config/load-config.js';
import { createHostLogger } from '../runtime/host-logger.js';
import { createRuntime, type HostRuntime } from '../runtime/host-runtime.js';
import { CliError } from './cli-error.js';

type Env = Record<string, string | undefined>;
type Out = (line: string) => void;

/** Opens the runtime without a worker, for one-off commands. */
export async function withRuntime<T>(
  env: Env,
  fn: (rt: HostRuntime) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadConfig(env);
  const redactor = new Redactor();
  const rt = await createRuntime(config, {
    logger: createHostLogger({ level: 'warn', service: 'weft-cli', redactor }),
    redactor,
    worker: false,
    ...(options.migrate === false ? { migrate: false } : {}),
  });
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

/** `weft migrate`: applies pending migrations (Weft's and the host's) and prints what ran. */
export async function migrateCommand(out: Out, env: Env = process.env): Promise<number> {
  const started = Date.now();
  return withRuntime(env, async (rt) => {
    const { version } = await rt.migrate();
    const applied = await rt.h.db
      .selectFrom('weft_migrations')
      .select(['version', 'name'])
      .where('applied_at', '>=', started)
      .orderBy('version')
      .execute();
    for (const m of applied) out(`  applied ${m.version}: ${m.name}`);
    out(
      applied.length
        ? `Applied ${applied.length} migration(s); schema version ${version}`
        : `Schema is up to date (version ${version})`,
    );
    return 0;
  });
}

/** Parses `30d`, `12h`, `90m` into milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+)\s*([dhm])$/.exec(text.trim());
  if (!m) throw new CliError(`${flag} must look like 30d, 12h or 90m, got "${text}"`, 2);
  return Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
}

/**
 * `weft prune`: deletes finished executions by age and/or count per workflow, in chunks, with
 * progress, then the files those executions kept; with `--older-than`, webhook deliveries older
 * than that too.
 */
export async function pruneCommand(
  options: { olderThan?: string; keep?: string },
  out: Out,
  env: Env = process.env,
): Promise<number> {
  if (!options.olderThan && !options.keep)
    throw new CliError('weft prune needs --older-than <30d> and/or --keep <N per workflow>', 2);
  const keep = options.keep === undefined ? undefined : Number(options.keep);
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 0))
    throw new CliError(`--keep must be a whole number, got "${options.keep}"`, 2);
  const olderThan = options.olderThan ? Date.now() - parseDuration(options.olderThan, '--older-than') : undefined;
  return withRuntime(env, async (rt) => {
    let deleted = 0;
    for await (const p of rt.executions.pruneExecutions({
      ...(olderThan !== undefined ? { olderThan } : {}),
      ...(keep !== undefined ? { keepPerWorkflow: keep } : {}),
      chunkSize: 1000,
    })) {
      deleted = p.deleted;
      out(`  … ${p.deleted} executions deleted (${p.chunks} chunks)`);
    }
    out(`Pruned ${deleted} executions`);
    // Files of executions stored at least a minute ago whose execution is gone (this prune, or earlier deletions).
    out(`Deleted ${await rt.files.removeOrphans(60_000)} files of deleted executions`);
    if (olderThan !== undefined) out(`Pruned ${await rt.deliveries.prune(olderThan)} webhook deliveries`);
    return 0;
  });
}

/** `weft user create`: creates a user, optionally adding them to a workspace with a role. */
export async function userCreateCommand(
  options: { email?: string; password?: string; name?: string; workspace?: string; role?: string },
  out: Out,
  env: Env = process.env,
): Promise<number> {
  if (!options.email?.includes('@')) throw new CliError('weft user create needs --email <address>', 2);
  if (!options.password || options.password.length < 8)
    throw new CliError('--password must be at least 8 characters', 2);
  const role = (options.role ?? 'editor') as Role;
  if (!ROLES.includes(role)) throw new CliError(`--role must be one of ${ROLES.join(', ')}, got "${options.role}"`, 2);
  return withRuntime(env, async (rt) => {
    if (await rt.identity.userByEmail(options.email as string))
      throw new CliError(`A user with email ${options.email} already exists`, 1);
    const user = await rt.identity.createUser({
      email: options.email as string,
      name: options.name ?? null,
      passwordHash: await hashPassword(options.password as string),
    });
    if (options.workspace) {
      if (!(await rt.identity.workspace(options.workspace)))
        throw new CliError(`Workspace "${options.workspace}" not found`, 1);
      await rt.identity.setMember(options.workspace, user.id, role);
      out(`Created ${user.email} (${user.id}) as ${role} of workspace ${options.workspace}`);
    } else {
      const ws = await rt.identity.createWorkspace(`${options.name ?? user.email}'s workspace`, user.id);
      out(`Created ${user.email} (${user.id}) as owner of a new workspace ${ws.id}`);
    }
    return 0;
  });
}

/**
 * `weft keys rotate`: re-wraps every workspace data key (credentials) and every payload, subject
 * and hashing key (encryption at rest, GDPR) with the newest master key (or `--to`), online and
 * resumable: run it while the host runs, and again if it stopped.
 * With `--generate` (when the master key lives in the data directory, not in WEFT_MASTER_KEY), a
 * new key is generated and appended first.
 */
export async function keysRotateCommand(
  options: { to?: string; generate?: boolean },
  out: Out,
  env: Env = process.env,
): Promise<number> {
  let to = options.to;
  if (options.generate) {
    if (env.WEFT_MASTER_KEY)
      throw new CliError(
        '--generate manages the key file under the data directory; with WEFT_MASTER_KEY set, add the new key there and pass --to <id>',
        2,
      );
    const config = loadConfig(env);
    const ids = config.masterKeys.split(',').map((e) => e.slice(0, e.indexOf(':')).trim());
    let n = ids.length + 1;
    while (ids.includes(`k${n}`)) n++;
    to = `k${n}`;
    const file = join(config.dataDir, 'master.key');
    appendFileSync(
      file,
      `${config.masterKeys.trim()},${to}:${randomBytes(32).toString('base64')}`.slice(config.masterKeys.trim().length),
    );
    out(`Generated master key ${to} in ${file}`);
  }
  return withRuntime(env, async (rt) => {
    const target = to ?? rt.config.masterKeys.split(',').at(-1)?.split(':')[0]?.trim();
    if (!target) throw new CliError('No master key configured', 2);
    out(`Re-wrapping data keys with master key ${target}…`);
    let rewrapped = 0;
    let sealed = 0;
    // With WEFT_REGIONS every region's database holds its own workspaces' keys (ADR 0014).
    for (const db of [rt, ...(rt.residency?.runtimes.values() ?? [])]) {
      const done = (await db.vault.rotateMasterKey(target)).rewrapped;
      out(`  ${done} credential data key${done === 1 ? '' : 's'}`);
      rewrapped += done;
      // Subject, hashing and payload keys: batch by batch while the host runs; a rerun resumes.
      sealed += await subjectSealing(db.h).keys.rotateMasterKey(target, (n) =>
        out(`  … ${n} payload and subject keys`),
      );
    }
    out(
      `Re-wrapped ${rewrapped} workspace data key${rewrapped === 1 ? '' : 's'} and ${sealed} payload and subject key${sealed === 1 ? '' : 's'}; they now open with ${target}. Keep the old key until every process runs with the new one.`,
    );
    return 0;
  });
}
