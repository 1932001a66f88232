import { randomUUID } from 'node:crypto';
import { type HostDb, IdentityStore, type SqlWorkspaceRegions, type Workspace } from '@weft/sql';

/**
 * The control database's accounts, memberships and workspaces, residency-aware: every workspace it
 * creates gets its region in `workspace_regions` first (so no workspace exists without one), and a
 * region's copy lists only that region's workspaces to its schedulers, sweepers and rollups.
 *
 * @example
 * ```ts
 * const eu = new ResidentIdentityStore(controlDb, new SqlWorkspaceRegions(controlDb), 'eu');
 * const ws = await eu.createWorkspace('Acme EU', ownerId); // workspace_regions: ws.id -> eu
 * await eu.listWorkspaceIds(); // only workspaces of eu
 * ```
 */
export class ResidentIdentityStore extends IdentityStore {
  constructor(
    h: HostDb,
    readonly regions: SqlWorkspaceRegions,
    /** The region new workspaces go to, and whose workspaces `listWorkspaceIds` answers. */
    readonly region: string,
    /** List every workspace (the control runtime's view), not only the region's. */
    readonly listAll = false,
  ) {
    super(h);
  }

  override async createWorkspace(name: string, ownerId: string, id: string = randomUUID()): Promise<Workspace> {
    await this.regions.assign(id, this.region);
    return super.createWorkspace(name, ownerId, id);
  }

  override async listWorkspaceIds(): Promise<string[]> {
    if (this.listAll) return super.listWorkspaceIds();
    const all = await this.regions.list();
    return all.filter((r) => r.region === this.region).map((r) => r.workspaceId);
  }
}
