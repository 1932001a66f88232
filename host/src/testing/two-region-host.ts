import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTempDatabase } from './postgres-database.js';
import { startTestHost, type TestHost } from './test-host.js';

/** A host with `WEFT_REGIONS=eu=…,us=…` on three throwaway Postgres databases (control, eu, us). */
export interface TwoRegionHost {
  t: TestHost;
  /** The owner's access token. */
  token: string;
  /** The data directory (region blob stores under `regions/<name>`). */
  work: string;
  /** The database URLs. */
  urls: Record<'control' | 'eu' | 'us', string>;
  /** The environment the host was started with (for CLI commands against the same databases). */
  env: Record<string, string>;
  /** Creates a workspace in a region; returns its id. */
  workspace(name: string, region: 'eu' | 'us'): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts a two-region host (ADR 0014) on three new databases next to `pgUrl`: control, eu and
 * us (the default region), the owner `owner@example.com` signed in.
 *
 * @example
 * ```ts
 * const h = await startTwoRegionHost(pg.url());
 * const eu = await h.workspace('Acme EU', 'eu');
 * await h.close();
 * ```
 */
export async function startTwoRegionHost(pgUrl: string, extraEnv: Record<string, string> = {}): Promise<TwoRegionHost> {
  const work = mkdtempSync(join(tmpdir(), 'weft-regions-'));
  const dbs = {
    control: await createTempDatabase(pgUrl),
    eu: await createTempDatabase(pgUrl),
    us: await createTempDatabase(pgUrl),
  };
  const env = {
    WEFT_DATA_DIR: work,
    WEFT_DATABASE_URL: dbs.control.url,
    WEFT_REGIONS: `eu=${dbs.eu.url},us=${dbs.us.url}`,
    WEFT_DEFAULT_REGION: 'us',
    WEFT_RATE_LIMIT_WORKSPACE: '1000000',
    ...extraEnv,
  };
  const drop = async () => {
    for (const d of Object.values(dbs)) await d.drop();
    rmSync(work, { recursive: true, force: true });
  };
  let t: TestHost;
  try {
    t = await startTestHost(env, { keepDir: true });
  } catch (err) {
    await drop();
    throw err;
  }
  const token = await t.login('owner@example.com', 'owner-password');
  return {
    t,
    token,
    work,
    urls: { control: dbs.control.url, eu: dbs.eu.url, us: dbs.us.url },
    env,
    async workspace(name, region) {
      const created = await t.call('POST', '/api/v1/workspaces', { token, body: { name, region } });
      if (created.status !== 201) throw new Error(`creating workspace ${name} in ${region}: ${created.text}`);
      return created.body.id as string;
    },
    async close() {
      await t.close();
      await drop();
    },
  };
}
