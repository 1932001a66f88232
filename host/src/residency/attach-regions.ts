import { SqlWebhookPaths, SqlWorkspaceRegions, WebhookStore } from '@weft/sql';
import type { HostConfig } from '../config/load-config.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import type { WebhookPathRegistry } from '../runtime/webhook-router.js';
import type { RegionSetting } from './region-settings.js';
import { Residency } from './residency.js';
import { ResidentIdentityStore } from './resident-identity.js';

/**
 * What a region's runtime shares with the control runtime: accounts, sessions and API keys, and
 * the registry that keeps its webhook paths unique across regions.
 */
export type SharedAccounts = Pick<HostRuntime, 'identity' | 'sessions' | 'apiKeys'> & {
  webhookPaths?: WebhookPathRegistry;
};

/** How {@link attachRegions} opens one region's runtime (`createRuntime` with the shared accounts). */
export type OpenRegion = (config: HostConfig, shared: SharedAccounts, payloadBlobRoot: string) => Promise<HostRuntime>;

/**
 * The configuration of one region's runtime: the control configuration with the region's
 * database, blob buckets and Redis prefix, and none of the control database's read replica or
 * direct (PgBouncer-bypassing) URL, which lead to the control database, not the region's.
 *
 * @example
 * ```ts
 * const eu = regionConfig(loadConfig(), loadConfig().regions!.regions[0]!);
 * eu.databaseUrl; // the EU database
 * ```
 */
export function regionConfig(control: HostConfig, r: RegionSetting): HostConfig {
  const { regions: _, databaseReadUrl: _read, databaseDirectUrl: _direct, ...base } = control;
  return {
    ...base,
    databaseUrl: r.databaseUrl,
    blob: r.blob,
    redisPrefix: `${base.redisPrefix}:region:${r.name}`,
    warnings: [],
  };
}

/**
 * Turns the runtime on the control database (`WEFT_DATABASE_URL`) into a residency-aware one:
 * opens one runtime per region of `config.regions` (its own database, migrated; its own blob
 * buckets and payload directory; its own queue under a region Redis prefix; its own worker and
 * schedulers), all sharing the control database's accounts, sessions and API keys. Workspaces
 * the control runtime creates (sign-up, first-run owner, SSO) get the default region. Closing or
 * pinging the returned runtime closes or pings every region too.
 *
 * @example
 * ```ts
 * const control = await attachRegions(runtime, (cfg, shared, root) => createRuntime(cfg, { logger, shared, payloadBlobRoot: root }));
 * control.residency?.names; // ['eu', 'us']
 * ```
 */
export async function attachRegions(control: HostRuntime, open: OpenRegion): Promise<HostRuntime> {
  const settings = control.config.regions;
  if (!settings) return control;
  const map = new SqlWorkspaceRegions(control.h);
  const paths = new SqlWebhookPaths(control.h);
  const runtimes = new Map<string, HostRuntime>();
  try {
    for (const r of settings.regions) {
      const config = regionConfig(control.config, r);
      const shared: SharedAccounts = {
        identity: new ResidentIdentityStore(control.h, map, r.name),
        sessions: control.sessions,
        apiKeys: control.apiKeys,
        webhookPaths: { claim: (ws, wf, routes) => paths.claim(r.name, ws, wf, routes) },
      };
      const rt = await open(config, shared, r.payloadBlobRoot);
      runtimes.set(r.name, rt);
      // Routes activated before the registry existed (migration 26) are recorded; a path two regions hold stays with the first.
      for (const held of await paths.adopt(r.name, await new WebhookStore(rt.h).all()))
        control.logger.warn(
          { path: held.path, method: held.method, region: r.name, workflowId: held.workflowId },
          'webhook path is held by another region; requests go there until this workflow is given another path',
        );
    }
  } catch (err) {
    for (const rt of runtimes.values()) await rt.close().catch(() => {});
    await control.close();
    throw err;
  }
  const residency = new Residency(settings, map, runtimes, paths);
  const closeControl = control.close.bind(control);
  const pingControl = control.ping.bind(control);
  const migrateControl = control.migrate.bind(control);
  return Object.assign(control, {
    identity: new ResidentIdentityStore(control.h, map, settings.defaultRegion, true),
    residency,
    async close() {
      await Promise.all([...runtimes.values()].map((rt) => rt.close()));
      await closeControl();
    },
    /** Migrates the control database and every region's (each region's result is its own). */
    async migrate() {
      for (const rt of runtimes.values()) await rt.migrate();
      return migrateControl();
    },
    async ping() {
      const answers = await Promise.all([pingControl(), ...[...runtimes.values()].map((rt) => rt.ping())]);
      return answers.every(Boolean);
    },
  });
}
