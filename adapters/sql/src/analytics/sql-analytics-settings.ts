import type { Kysely } from 'kysely';
import type { HostDb } from '../host/host-database.js';
import type { WeftDatabase } from '../schema.js';

/** Stored analytics settings of a workflow or a workspace; each field unset falls back to the next level. */
export interface AnalyticsSettings {
  /** SLO: share of good runs, 0 < target < 1. */
  sloTarget?: number;
  /** SLO on latency: a run is good when it finished under this many ms (success objective when unset). */
  latencyObjectiveMs?: number;
  /** SLO period in days (the error budget window). */
  windowDays?: number;
  /** Runs the long burn-rate window needs before an alert may fire (default 50). */
  minimumEvents?: number;
  currency?: string;
  costPerExecution?: number;
  costPerComputeSecond?: number;
  costPerThousandAiTokens?: number;
  /** Minutes of manual work one successful run saves (ROI). */
  minutesSavedPerRun?: number;
  /** Price of an hour of the work saved (ROI). */
  hourlyRate?: number;
}

/** An alert kind whose firing state is kept per workflow. */
export type AnalyticsAlertKind = 'slo_burn' | 'anomaly';

/** An alert firing now: of a workflow, or of the whole workspace (`workflowId` ''). */
export interface FiringAnalyticsAlert {
  workflowId: string;
  kind: AnalyticsAlertKind;
  /** When it started (epoch ms). */
  since: number;
  /** What the evaluator recorded when it started (rules burning, anomalous value). */
  detail: unknown;
}

/**
 * Analytics settings per workflow and per workspace (migration 19), and the firing state of each
 * workflow's alerts. {@link SqlAnalyticsSettings.transition} is a compare-and-set: of several
 * processes that see the same change, exactly one is told it made it.
 *
 * @example
 * ```ts
 * const s = new SqlAnalyticsSettings(h);
 * await s.put('ws_1', 'wf_1', { sloTarget: 0.995 });
 * const effective = await s.effective('ws_1', 'wf_1'); // workflow's fields over the workspace's
 * if (await s.transition('ws_1', 'wf_1', 'slo_burn', true)) notify();
 * ```
 */
export class SqlAnalyticsSettings {
  readonly #db: Kysely<WeftDatabase>;

  constructor(h: HostDb) {
    this.#db = h.db;
  }

  /** The settings stored for a workflow (`workflowId` empty: the workspace default). */
  async get(workspaceId: string, workflowId: string): Promise<AnalyticsSettings> {
    const r = await this.#db
      .selectFrom('analytics_settings')
      .select('settings')
      .where('workspace_id', '=', workspaceId)
      .where('workflow_id', '=', workflowId)
      .executeTakeFirst();
    return r ? (JSON.parse(r.settings) as AnalyticsSettings) : {};
  }

  /** Replaces the settings of a workflow (or the workspace default); fields left out are unset. */
  async put(workspaceId: string, workflowId: string, settings: AnalyticsSettings, now = Date.now()): Promise<void> {
    const row = { settings: JSON.stringify(settings), updated_at: now };
    await this.#db
      .insertInto('analytics_settings')
      .values({ workspace_id: workspaceId, workflow_id: workflowId, ...row })
      .onConflict((oc) => oc.columns(['workspace_id', 'workflow_id']).doUpdateSet(row))
      .execute();
  }

  /** The workspace default with the workflow's own fields over it. */
  async effective(workspaceId: string, workflowId: string | undefined): Promise<AnalyticsSettings> {
    const base = await this.get(workspaceId, '');
    return workflowId ? { ...base, ...(await this.get(workspaceId, workflowId)) } : base;
  }

  /**
   * The workspace's alerts firing now, oldest first (workspace-wide ones have `workflowId` '').
   *
   * @example
   * ```ts
   * for (const a of await settings.firing('ws_1')) console.log(a.kind, a.workflowId || 'workspace');
   * ```
   */
  async firing(workspaceId: string): Promise<FiringAnalyticsAlert[]> {
    const rows = await this.#db
      .selectFrom('analytics_alert_state')
      .select(['workflow_id', 'kind', 'since', 'detail'])
      .where('workspace_id', '=', workspaceId)
      .where('active', '=', 1)
      .orderBy('since')
      .orderBy('workflow_id')
      .orderBy('kind')
      .execute();
    return rows.map((r) => ({
      workflowId: r.workflow_id,
      kind: r.kind as AnalyticsAlertKind,
      since: Number(r.since),
      detail: r.detail === null ? {} : JSON.parse(r.detail),
    }));
  }

  /**
   * Moves an alert to `active` and answers true when this call made the move (false when it was
   * already there, or another process moved it first).
   */
  async transition(
    workspaceId: string,
    workflowId: string,
    kind: AnalyticsAlertKind,
    active: boolean,
    now = Date.now(),
    detail?: unknown,
  ): Promise<boolean> {
    const key = { workspace_id: workspaceId, workflow_id: workflowId, kind };
    const current = await this.#db
      .selectFrom('analytics_alert_state')
      .select(['active', 'version'])
      .where('workspace_id', '=', workspaceId)
      .where('workflow_id', '=', workflowId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    const want = active ? 1 : 0;
    const detailText = detail === undefined ? null : JSON.stringify(detail);
    if (!current) {
      if (!active) return false;
      const inserted = await this.#db
        .insertInto('analytics_alert_state')
        .values({ ...key, active: 1, version: 1, since: now, detail: detailText })
        .onConflict((oc) => oc.columns(['workspace_id', 'workflow_id', 'kind']).doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
    }
    if (Number(current.active) === want) return false;
    const updated = await this.#db
      .updateTable('analytics_alert_state')
      .set({ active: want, version: Number(current.version) + 1, since: now, detail: detailText })
      .where('workspace_id', '=', workspaceId)
      .where('workflow_id', '=', workflowId)
      .where('kind', '=', kind)
      .where('version', '=', Number(current.version))
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }
}
