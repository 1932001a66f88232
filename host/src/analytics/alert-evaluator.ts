import { createAnomalyDetector, historicalSeries, ONE_HOUR } from '@weft/analytics';
import type { JsonObject, Logger } from '@weft/engine';
import type { AnalyticsAlertKind, HostDb } from '@weft/sql';
import type { PushNotifier } from '../push/push-notifier.js';
import type { HostAnalytics } from '../runtime/host-analytics.js';
import type { OutboundWebhooks } from '../webhooks-out/outbound-webhooks.js';
import type { WebhookEventType } from '../webhooks-out/webhook-event-types.js';
import { sloOf } from './slo-of.js';

/** Platform event names of alert transitions (`weft.event` triggers can listen to them). */
export const ALERT_EVENTS = {
  slo_burn: { started: 'weft.alert.slo_burn', resolved: 'weft.alert.slo_burn.resolved' },
  anomaly: { started: 'weft.alert.anomaly', resolved: 'weft.alert.anomaly.resolved' },
} as const;

/** One alert that started or resolved in an evaluation. */
export interface AlertTransition {
  workspaceId: string;
  workflowId: string;
  kind: AnalyticsAlertKind;
  active: boolean;
  event: string;
  detail: JsonObject;
}

/** What {@link createAlertEvaluator} needs. */
export interface AlertEvaluatorOptions {
  analytics: HostAnalytics;
  h: HostDb;
  /** Publishes a platform event (the host's event-trigger router, `internal: true`). */
  publish(workspaceId: string, name: string, payload: JsonObject, sourceWorkflowId: string): Promise<unknown>;
  push?: PushNotifier;
  outbound?: OutboundWebhooks;
  logger: Logger;
}

const DAY = 86_400_000;

/**
 * Evaluates every workflow with runs in the last 3 days (and every one with an alert firing), and
 * each such workspace as a whole (`workflowId` '': its workspace-wide rollups against the
 * workspace's default settings),
 * when a rollup watermark or a stored setting moved since the last call (nothing else changes
 * the answer):
 * its SLO burn-rate rules (stored settings) and the seasonal anomaly detector over its hourly
 * error rate of the last 14 days. A change of state is claimed in `analytics_alert_state` by
 * compare-and-set, so each start and each resolution is published once however many processes
 * evaluate, and a restart does not repeat it: as a platform event (`weft.alert.*`), to outbound
 * webhook subscriptions (`alert.*`) and, as it starts and as it resolves, to the web push
 * subscriptions that opted into `alert` notifications.
 *
 * @example
 * ```ts
 * const evaluate = createAlertEvaluator({ analytics, h, publish, logger });
 * const transitions = await evaluate(Date.now());
 * ```
 */
export function createAlertEvaluator(o: AlertEvaluatorOptions): (now?: number) => Promise<AlertTransition[]> {
  let seen: string | undefined;
  return async (now = Date.now()) => {
    // Windows end at the rollup watermarks: nothing can change until they move or a setting does.
    const edited = await o.h.db
      .selectFrom('analytics_settings')
      .select((eb) => eb.fn.max('updated_at').as('at'))
      .executeTakeFirst();
    const key = [
      await o.analytics.store.watermark('5m'),
      await o.analytics.store.watermark('1h'),
      Number(edited?.at ?? 0),
    ].join('|');
    if (key === seen) return [];
    seen = key;
    const recent = await o.h.db
      .selectFrom('analytics_rollups')
      .select(['workspace_id', 'workflow_id'])
      .distinct()
      .where('node_id', '=', '')
      .where('bucket_start', '>=', now - 3 * DAY)
      .execute();
    const firing = await o.h.db
      .selectFrom('analytics_alert_state')
      .select(['workspace_id', 'workflow_id'])
      .where('active', '=', 1)
      .execute();
    const keys = new Map<string, { ws: string; wf: string }>();
    for (const r of [...recent, ...firing])
      keys.set(`${r.workspace_id}\n${r.workflow_id}`, { ws: r.workspace_id, wf: r.workflow_id });
    const transitions: AlertTransition[] = [];
    for (const { ws, wf } of keys.values()) {
      try {
        const slo = await sloOf(o, ws, wf, { periodMs: 3 * DAY });
        const burning = slo.alerts.filter((a) => a.firing);
        await claim(ws, wf, 'slo_burn', burning.length > 0, {
          target: slo.target,
          objective: slo.objective,
          rules: burning.map((a) => ({ rule: a.rule, severity: a.severity, longBurnRate: a.longBurnRate })),
        });
        const anomaly = await anomalyOf(ws, wf, now);
        await claim(ws, wf, 'anomaly', anomaly !== undefined, anomaly ?? {});
      } catch (err) {
        o.logger.warn({ workspaceId: ws, workflowId: wf, err: (err as Error).message }, 'alert evaluation failed');
      }
    }
    return transitions;

    async function claim(ws: string, wf: string, kind: AnalyticsAlertKind, active: boolean, detail: JsonObject) {
      if (!(await o.analytics.settings.transition(ws, wf, kind, active, now, detail))) return;
      const event = active ? ALERT_EVENTS[kind].started : ALERT_EVENTS[kind].resolved;
      const t: AlertTransition = { workspaceId: ws, workflowId: wf, kind, active, event, detail };
      transitions.push(t);
      await deliver(t).catch((err) =>
        o.logger.error({ workspaceId: ws, workflowId: wf, event, err: String(err) }, 'alert not delivered'),
      );
    }
  };

  async function anomalyOf(ws: string, wf: string, now: number): Promise<JsonObject | undefined> {
    const to = Math.floor(now / ONE_HOUR) * ONE_HOUR;
    const series = await historicalSeries(
      o.analytics.store,
      { workspaceId: ws, workflowId: wf, metric: 'errorRate', from: to - 14 * DAY, to, stepMs: ONE_HOUR },
      now,
      o.analytics.rollups.retention.fiveMinuteMs,
    );
    const detector = createAnomalyDetector();
    let last: { t: number; value: number; score: number; anomaly: boolean } | undefined;
    for (const p of series.points)
      if (p.value !== null) last = { t: p.t, value: p.value, ...detector.update(p.t, p.value) };
    if (!last?.anomaly || last.t < to - 2 * ONE_HOUR) return undefined;
    return { metric: 'errorRate', at: last.t, value: last.value, score: last.score };
  }

  async function deliver(t: AlertTransition): Promise<void> {
    const scope = t.workflowId ? 'workflow' : 'workspace';
    const payload: JsonObject = { workflowId: t.workflowId, scope, kind: t.kind, active: t.active, ...t.detail };
    await o.publish(t.workspaceId, t.event, payload, t.workflowId);
    await o.outbound?.publish(t.workspaceId, t.event.replace(/^weft\./, '') as WebhookEventType, payload);
    await o.push?.notifyAlert({
      workspaceId: t.workspaceId,
      workflowId: t.workflowId,
      alert: t.kind,
      active: t.active,
      message: alertMessage(t),
    });
  }
}

/** The notification text of an alert transition: what fires and how hard, or that it resolved. */
export function alertMessage(t: Pick<AlertTransition, 'kind' | 'active' | 'detail'>): string {
  if (!t.active)
    return t.kind === 'slo_burn' ? 'The error budget stopped burning fast' : 'The error rate is back to normal';
  if (t.kind === 'anomaly') {
    const value = Number(t.detail.value);
    return `Anomalous error rate: ${Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : 'unusual'} against its usual level for this hour of the week`;
  }
  const rules = Array.isArray(t.detail.rules)
    ? (t.detail.rules as Array<{ rule?: unknown; longBurnRate?: unknown }>)
    : [];
  const fastest = rules.reduce((m, r) => Math.max(m, Number(r.longBurnRate) || 0), 0);
  return `The error budget is burning at ${fastest.toFixed(1)}x (${rules.map((r) => String(r.rule)).join(', ') || 'burn-rate rule'})`;
}
