import { seedExamples } from '../workflows/seed-examples.js';
import { CliError } from './cli-error.js';
import { withRuntime } from './maintenance-commands.js';
import { regionRuntime } from './region-runtime.js';

type Env = Record<string, string | undefined>;
type Out = (line: string) => void;

/**
 * `weft create-workspace --name n --owner email [--region r] [--examples]`: creates a workspace
 * owned by an existing user. With `WEFT_REGIONS` it lives in `--region` (default: the default
 * region) for good, and `--examples` seeds the example workflows into that region's database.
 *
 * @example
 * ```ts
 * await createWorkspaceCommand({ name: 'Acme EU', owner: 'ada@example.com', region: 'eu' }, console.log);
 * ```
 */
export async function createWorkspaceCommand(
  options: { name?: string; owner?: string; region?: string; examples?: boolean },
  out: Out,
  env: Env = process.env,
): Promise<number> {
  const name = options.name?.trim();
  if (!name || !options.owner)
    throw new CliError('Usage: weft create-workspace --name <name> --owner <email> [--region r] [--examples]', 2);
  if (name.length > 200) throw new CliError('--name must be at most 200 characters', 2);
  return withRuntime(env, async (rt) => {
    const region = regionRuntime(rt, options.region);
    const owner = await rt.identity.userByEmail(options.owner as string);
    if (!owner) throw new CliError(`No user with email ${options.owner} on this host`, 1);
    const ws = rt.residency
      ? await rt.residency.createWorkspace(name, owner.id, region.name)
      : await rt.identity.createWorkspace(name, owner.id);
    out(
      `Created workspace ${ws.id} (${name}) owned by ${options.owner}${region.name ? ` in region ${region.name}` : ''}`,
    );
    if (options.examples) {
      const seeded = await seedExamples(rt, ws.id);
      out(`  seeded ${seeded.length} example workflows: ${seeded.join(', ')}`);
    }
    return 0;
  });
}
