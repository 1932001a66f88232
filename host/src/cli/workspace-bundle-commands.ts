import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  checkWorkspaceBundle,
  exportWorkspaceBundle,
  importWorkspaceBundle,
  MIN_PASSPHRASE,
} from '../runtime/backup-workspace.js';
import { HostError } from '../runtime/host-error.js';
import { CliError } from './cli-error.js';
import { withRuntime } from './maintenance-commands.js';
import { regionRuntime, workspaceRuntime } from './region-runtime.js';

type Env = Record<string, string | undefined>;
type Out = (line: string) => void;

/** The passphrase from `--passphrase-file` (first line) or `WEFT_BUNDLE_PASSPHRASE`; never from a flag. */
function passphraseOf(file: string | undefined, env: Env): string {
  let text: string | undefined;
  if (file) {
    try {
      text = readFileSync(file, 'utf8').split(/\r?\n/)[0];
    } catch (err) {
      throw new CliError(`Cannot read --passphrase-file ${file}: ${(err as Error).message}`, 2);
    }
  } else text = env.WEFT_BUNDLE_PASSPHRASE;
  if (!text) throw new CliError('Give the passphrase in --passphrase-file <file> or WEFT_BUNDLE_PASSPHRASE', 2);
  if (text.length < MIN_PASSPHRASE)
    throw new CliError(`The passphrase must have at least ${MIN_PASSPHRASE} characters`, 2);
  return text;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * `weft export-workspace --workspace id --out bundle.json [--passphrase-file f]`: the whole
 * workspace — workflows, members and credentials sealed under the passphrase — into one file
 * that `weft import-workspace` reads on any host.
 */
export async function exportWorkspaceCommand(
  options: { workspace?: string; out?: string; passphraseFile?: string },
  out: Out,
  env: Env = process.env,
): Promise<number> {
  if (!options.workspace || !options.out)
    throw new CliError('Usage: weft export-workspace --workspace <id> --out <bundle.json> [--passphrase-file f]', 2);
  const passphrase = passphraseOf(options.passphraseFile, env);
  return withRuntime(env, async (rt) => {
    const home = await workspaceRuntime(rt, options.workspace as string);
    const bundle = await exportWorkspaceBundle(home, options.workspace as string, passphrase);
    const file = resolve(options.out as string);
    writeFileSync(file, JSON.stringify(bundle), { mode: 0o600 });
    out(
      `Exported ${plural(bundle.workflows.length, 'workflow')}, ${plural(bundle.credentials.items.length, 'credential')} (sealed) and ${plural(bundle.members.length, 'member')} to ${file}`,
    );
    return 0;
  });
}

/**
 * `weft import-workspace <bundle.json> (--workspace id | --owner email [--region r]) [--passphrase-file f]`:
 * imports a bundle into an existing workspace, or into a new one owned by `--owner` (a user of
 * this host), created in `--region` (default: the default region) with `WEFT_REGIONS`. The data
 * goes to the workspace's region's database. Prints each invite link of members who have no
 * account here yet.
 */
export async function importWorkspaceCommand(
  options: { file?: string; workspace?: string; owner?: string; region?: string; passphraseFile?: string },
  out: Out,
  env: Env = process.env,
): Promise<number> {
  if (!options.file || !options.workspace === !options.owner)
    throw new CliError(
      'Usage: weft import-workspace <bundle.json> (--workspace <id> | --owner <email> [--region r]) [--passphrase-file f]',
      2,
    );
  if (options.workspace && options.region)
    throw new CliError("--region applies to a new workspace (--owner); an existing workspace's region is fixed", 2);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(options.file, 'utf8'));
  } catch (err) {
    throw new CliError(`Cannot read ${options.file} as JSON: ${(err as Error).message}`, 2);
  }
  const passphrase = passphraseOf(options.passphraseFile, env);
  return withRuntime(env, async (rt) => {
    try {
      const bundle = checkWorkspaceBundle(doc);
      let ws = options.workspace;
      let home: typeof rt;
      if (ws) home = await workspaceRuntime(rt, ws);
      else {
        const region = regionRuntime(rt, options.region);
        const owner = await rt.identity.userByEmail(options.owner as string);
        if (!owner) throw new CliError(`No user with email ${options.owner} on this host`, 1);
        ws = rt.residency
          ? (await rt.residency.createWorkspace(bundle.workspace.name, owner.id, region.name)).id
          : (await rt.identity.createWorkspace(bundle.workspace.name, owner.id)).id;
        home = region.runtime;
        out(
          `Created workspace ${ws} (${bundle.workspace.name}) owned by ${options.owner}${region.name ? ` in region ${region.name}` : ''}`,
        );
      }
      const report = await importWorkspaceBundle(home, ws, bundle, passphrase, 'owner');
      for (const w of report.workflows) out(`  workflow ${w.name}${w.error ? `: NOT imported: ${w.error}` : ''}`);
      for (const c of report.credentials) out(`  credential ${c.name} (${c.id})`);
      for (const m of report.members.added) out(`  member ${m.email} as ${m.role}`);
      for (const m of report.members.invited) out(`  invited ${m.email} as ${m.role}: ${m.url}`);
      const failed = report.workflows.filter((w) => w.error).length;
      out(
        `Imported ${plural(report.workflows.length - failed, 'workflow')} (inactive), ${plural(report.credentials.length, 'credential')}, ${plural(report.members.added.length, 'member')} and ${plural(report.members.invited.length, 'invite')} into workspace ${ws}`,
      );
      return failed ? 1 : 0;
    } catch (err) {
      if (err instanceof HostError) throw new CliError(`${options.file}: ${err.message}`, 1);
      throw err;
    }
  });
}
