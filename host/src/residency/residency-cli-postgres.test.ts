import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupCommand, restoreCommand } from '../cli/backup-commands.js';
import { exportWorkspaceCommand, importWorkspaceCommand } from '../cli/workspace-bundle-commands.js';
import { createWorkspaceCommand } from '../cli/workspace-create-command.js';
import { rowsAsText, tablesWith } from '../testing/database-dump.js';
import { createTempDatabase } from '../testing/postgres-database.js';
import { startTwoRegionHost, type TwoRegionHost } from '../testing/two-region-host.js';

const pgService = await serviceUrl('pg');

describe.skipIf(pgService.skip)(pgService.title('CLI commands over two Postgres regions'), () => {
  const tag = randomBytes(4).toString('hex');
  const marker = `eu-cli-${tag}`;
  let h: TwoRegionHost;
  let env: Record<string, string>;
  let euWs = '';
  const api = (p: string) => `/api/v1/workspaces/${p}`;
  /** Runs a CLI command function; returns its exit code and printed lines. */
  const cli = async (run: (out: (l: string) => void) => Promise<number>) => {
    const lines: string[] = [];
    const code = await run((l) => lines.push(l));
    return { code, lines, text: lines.join('\n') };
  };
  const regionOf = async (id: string) =>
    (await h.t.call('GET', '/api/v1/workspaces', { token: h.token })).body.items.find(
      (w: { id: string }) => w.id === id,
    )?.region;
  const workflowNames = async (id: string) =>
    (await h.t.call('GET', api(`${id}/workflows`), { token: h.token })).body.items.map((w: { name: string }) => w.name);

  beforeAll(async () => {
    h = await startTwoRegionHost(pgService.url(), { WEFT_SEED_EXAMPLES: 'true' });
    env = { ...h.env, WEFT_LOG_LEVEL: 'silent', WEFT_BUNDLE_PASSPHRASE: `passphrase-${tag}` };
    euWs = await h.workspace('CLI EU', 'eu');
    const wf = await h.t.call('POST', api(`${euWs}/workflows`), {
      token: h.token,
      body: {
        id: marker,
        name: marker,
        nodes: [{ id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {} }],
        connections: [],
      },
    });
    expect(wf.status, wf.text).toBe(201);
    const run = await h.t.call('POST', api(`${euWs}/workflows/${marker}/run`), {
      token: h.token,
      body: { wait: true },
    });
    expect(run.status, run.text).toBe(200);
  }, 180_000);
  afterAll(() => h?.close());

  it('create-workspace puts the workspace and its seeded examples in --region', async () => {
    const made = await cli((out) =>
      createWorkspaceCommand(
        { name: `Seeded ${tag}`, owner: 'owner@example.com', region: 'eu', examples: true },
        out,
        env,
      ),
    );
    expect(made.code, made.text).toBe(0);
    const id = /Created workspace (\S+)/.exec(made.text)?.[1] as string;
    expect(made.text).toContain('in region eu');
    expect(await regionOf(id)).toBe('eu');
    expect(await workflowNames(id)).toContain('Order webhook');
    const [eu, us, control] = await Promise.all([h.urls.eu, h.urls.us, h.urls.control].map(rowsAsText));
    expect(tablesWith(eu, id)).toContain('public.workflows');
    expect(tablesWith(us, id)).toEqual([]);
    expect(tablesWith(control, id)).not.toContain('public.workflows');

    await expect(
      cli((out) => createWorkspaceCommand({ name: 'Moon', owner: 'owner@example.com', region: 'moon' }, out, env)),
    ).rejects.toThrow('--region must be one of eu, us, got "moon"');
  });

  it("sign-up seeds the new workspace's examples into its region, not the control database", async () => {
    const token = await h.t.host.runtime.sessions.createSignupToken({ role: 'owner', ttlSec: 600 });
    const email = `new-${tag}@example.com`;
    const signup = await h.t.call('POST', '/api/v1/auth/signup', {
      body: { token, email, password: 'password-123', name: `Newcomer ${tag}` },
    });
    expect(signup.status, signup.text).toBe(201);
    const mine = await h.t.call('GET', '/api/v1/workspaces', { token: signup.body.accessToken });
    const [ws] = mine.body.items as Array<{ id: string; region: string }>;
    expect(ws?.region).toBe('us');
    const [us, control] = await Promise.all([h.urls.us, h.urls.control].map(rowsAsText));
    expect(tablesWith(us, ws?.id as string)).toContain('public.workflows');
    expect(tablesWith(control, ws?.id as string)).not.toContain('public.workflows');
    // (The bundled marketplace templates, shared by every workspace, mention it in the control database.)
    expect(tablesWith(control, 'Order webhook')).not.toContain('public.workflows');
  });

  it('export-workspace reads an EU workspace from its region and import-workspace writes where it is told', async () => {
    const file = join(h.work, `bundle-${tag}.json`);
    const exported = await cli((out) => exportWorkspaceCommand({ workspace: euWs, out: file }, out, env));
    expect(exported.code, exported.text).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain(marker);

    const intoEu = await cli((out) =>
      importWorkspaceCommand({ file, owner: 'owner@example.com', region: 'eu' }, out, env),
    );
    expect(intoEu.code, intoEu.text).toBe(0);
    const imported = /Created workspace (\S+)/.exec(intoEu.text)?.[1] as string;
    expect(await regionOf(imported)).toBe('eu');
    expect(await workflowNames(imported)).toEqual([marker]);
    // Into an existing workspace: its region's database, whatever the default region is.
    const again = await cli((out) => importWorkspaceCommand({ file, workspace: imported }, out, env));
    expect(again.code, again.text).toBe(0);
    await expect(
      cli((out) => importWorkspaceCommand({ file, workspace: imported, region: 'us' }, out, env)),
    ).rejects.toThrow("an existing workspace's region is fixed");
    rmSync(file);

    const us = await rowsAsText(h.urls.us);
    for (const needle of [marker, euWs, imported]) expect(tablesWith(us, needle), needle).toEqual([]);
  });

  it('backs up each region into its own backups bucket and restores one region alone', async () => {
    await expect(cli((out) => backupCommand({ out: join(h.work, 'all.tar.gz') }, out, env))).rejects.toThrow(
      'add --region <eu|us>',
    );
    const all = await cli((out) => backupCommand({}, out, env));
    expect(all.code, all.text).toBe(0);
    expect(all.lines).toHaveLength(3);
    // The control database holds no workflows or executions; the EU one holds the EU run.
    expect(all.lines[0]).toMatch(/^Backed up 0 executions, 0 workflows, .* of the control database/);
    expect(all.lines[1]).toMatch(/^Backed up [1-9]\d* executions, .* of region eu to its backups bucket as manual\//);
    const key = /as (manual\/\S+)$/.exec(all.lines[1] as string)?.[1] as string;
    const euBackups = join(h.work, 'regions', 'eu', 'buckets');
    expect(readFileSync(join(euBackups, 'backups', key)).length).toBeGreaterThan(0);
    expect(() => readFileSync(join(h.work, 'regions', 'us', 'buckets', 'backups', key))).toThrow();

    // Restore the EU region's backup into a new EU database (the host stopped, as restore wants).
    const fresh = await createTempDatabase(pgService.url());
    try {
      const restoreEnv = { ...env, WEFT_REGIONS: `eu=${fresh.url},us=${h.urls.us}` };
      const restored = await cli((out) => restoreCommand({ key, region: 'eu' }, out, restoreEnv));
      expect(restored.code, restored.text).toBe(0);
      expect(tablesWith(await rowsAsText(fresh.url), marker)).toEqual(
        expect.arrayContaining(['public.workflows', 'public.executions']),
      );
      expect(tablesWith(await rowsAsText(h.urls.us), marker)).toEqual([]);
    } finally {
      await fresh.drop();
    }
  }, 120_000);
});
