import type { SqlWebhookPaths, SqlWorkspaceRegions, Workspace } from '@weft/sql';
import { ProblemError } from '../http/problem.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import type { RegionSettings } from './region-settings.js';

/**
 * Data residency of a host with `WEFT_REGIONS` (ADR 0014): one runtime per region, each on its
 * own database, blob stores and queue, and the control database's workspace -> region map.
 * Requests and executions of a workspace are handed to its region's runtime before any business
 * logic runs; a workspace's region is fixed at creation.
 *
 * @example
 * ```ts
 * const residency = runtime.residency!;
 * const ws = await residency.createWorkspace('Acme EU', userId, 'eu');
 * const eu = await residency.runtimeOf(ws.id); // the runtime on the EU database
 * ```
 */
export class Residency {
  readonly #known = new Map<string, string>();

  constructor(
    readonly settings: RegionSettings,
    /** The control database's workspace -> region map. */
    readonly map: SqlWorkspaceRegions,
    readonly runtimes: ReadonlyMap<string, HostRuntime>,
    /** The control database's webhook path -> region registry. */
    readonly webhookPaths: SqlWebhookPaths,
  ) {}

  /** The configured region names, in `WEFT_REGIONS` order. */
  get names(): string[] {
    return [...this.runtimes.keys()];
  }

  get defaultRegion(): string {
    return this.settings.defaultRegion;
  }

  /** The runtime of a region; throws a 422 problem naming the regions when there is no such region. */
  runtime(region: string): HostRuntime {
    const rt = this.runtimes.get(region);
    if (!rt)
      throw new ProblemError(422, 'unknown-region', `Unknown region "${region}"; regions: ${this.names.join(', ')}`, {
        errors: [{ in: 'body', path: '/region', message: `must be one of ${this.names.join(', ')}` }],
      });
    return rt;
  }

  /** The region a workspace lives in (cached: it never changes), or undefined when it has none. */
  async regionOf(workspaceId: string): Promise<string | undefined> {
    const known = this.#known.get(workspaceId);
    if (known) return known;
    const region = await this.map.regionOf(workspaceId);
    if (region) this.#known.set(workspaceId, region);
    return region;
  }

  /**
   * The region holding a workspace's data. Throws 409 `workspace-without-region` for workspaces
   * without a region (created before `WEFT_REGIONS`) and 503 when the region is no longer configured.
   */
  async homeOf(workspaceId: string): Promise<string> {
    const region = await this.regionOf(workspaceId);
    if (!region)
      throw new ProblemError(
        409,
        'workspace-without-region',
        `Workspace ${workspaceId} has no region; it was created before WEFT_REGIONS was set. Move it with an export bundle into a new workspace`,
      );
    if (!this.runtimes.has(region))
      throw new ProblemError(
        503,
        'region-unavailable',
        `Workspace ${workspaceId} lives in region "${region}", which this host does not serve`,
      );
    return region;
  }

  /** The runtime holding a workspace's data (see {@link Residency.homeOf} for the refusals). */
  async runtimeOf(workspaceId: string): Promise<HostRuntime> {
    return this.runtimes.get(await this.homeOf(workspaceId)) as HostRuntime;
  }

  /** Creates a workspace in `region` (default: the default region), its owner the user. */
  async createWorkspace(
    name: string,
    ownerId: string,
    region: string = this.defaultRegion,
  ): Promise<Workspace & { region: string }> {
    const ws = await this.runtime(region).identity.createWorkspace(name, ownerId);
    this.#known.set(ws.id, region);
    return { ...ws, region };
  }
}
