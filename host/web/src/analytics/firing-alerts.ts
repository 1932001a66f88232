import { html, nothing, type TemplateResult } from 'lit';

/** An alert firing now, as `GET …/analytics/alerts` lists it. */
export interface FiringAlert {
  workflowId: string;
  scope: 'workflow' | 'workspace';
  kind: 'slo_burn' | 'anomaly';
  since: number;
  detail: { rules?: { rule: string; severity: string; longBurnRate: number }[]; value?: number; metric?: string };
}

const what = (a: FiringAlert): string => {
  if (a.kind === 'anomaly') {
    const v = a.detail.value;
    return `Anomaly in the error rate${v !== undefined ? ` (${(v * 100).toFixed(0)}%)` : ''}`;
  }
  const rule = a.detail.rules?.[0];
  return `SLO burn rate${rule ? `: ${rule.severity}, ${rule.rule} at ${rule.longBurnRate.toFixed(1)}x` : ''}`;
};

/**
 * The alerts firing now, as a panel above the dashboard: each names its workflow (or the whole
 * workspace), what fires and since when. `only` narrows it to one workflow's alerts. Nothing is
 * drawn when none fires.
 *
 * @example
 * ```ts
 * html`${firingAlerts(alerts, (id) => names.get(id), workflowId)}`;
 * ```
 */
export function firingAlerts(
  alerts: readonly FiringAlert[],
  nameOf: (workflowId: string) => string | undefined,
  only?: string,
): TemplateResult | typeof nothing {
  const shown = only ? alerts.filter((a) => a.workflowId === only) : alerts;
  if (!shown.length) return nothing;
  return html`<section class="panel an-alerts" role="region" aria-label="Alerts firing">
    <h2>Alerts firing <span class="tag danger">${shown.length}</span></h2>
    <ul>
      ${shown.map(
        (a) => html`<li class="danger" data-testid="firing-alert">
          <strong>${a.scope === 'workspace' ? 'Whole workspace' : (nameOf(a.workflowId) ?? a.workflowId)}</strong>:
          ${what(a)} <span class="muted small">since ${new Date(a.since).toLocaleString()}</span>
        </li>`,
      )}
    </ul>
  </section>`;
}
