import { html, nothing } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { navigate } from '../app/router.js';
import './analytics-settings-form.js';
import './analytics-styles.js';
import { type FiringAlert, firingAlerts } from './firing-alerts.js';
import { followRealtime, type RealtimeFigures } from './realtime-stream.js';
import { type ChartPoint, lineChart } from './svg-chart.js';

interface Series {
  bucketMs: number;
  points: ChartPoint[];
}

interface Health {
  score: number;
  factors: { factor: string; weight: number; points: number; detail: string }[];
}

interface Slo {
  target: number;
  objective: 'success' | 'latency';
  latencyMs?: number;
  periodDays: number;
  total: number;
  bad: number;
  budgetRemaining: number;
  alerts: { rule: string; severity: string; firing: boolean; longBurnRate: number; suppressed?: string }[];
}

interface Roi {
  currency: string;
  cost: { total: number };
  successfulRuns: number;
  hoursSaved: number;
  value: number;
  net: number;
  roi: number | null;
}

const PERIODS: [string, number, number][] = [
  ['24 hours', 86_400_000, 3_600_000],
  ['7 days', 7 * 86_400_000, 6 * 3_600_000],
  ['30 days', 30 * 86_400_000, 86_400_000],
];

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`);
const money = (v: number, currency: string) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 2 }).format(v);

/** ROI as a percentage; below a cent of cost the ratio says nothing, so the net value stands alone. */
const roiText = (r: Roi) =>
  r.roi === null || r.cost.total < 0.01
    ? 'no measurable cost'
    : `${new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 }).format(r.roi * 100)}%`;

/**
 * The analytics dashboard of the workspace or of one workflow (`?workflow=<id>`): live figures
 * over the realtime SSE stream, charts of runs, error rate and p95 with anomalies marked, the
 * health score with each factor's points, the alerts firing now (of each workflow and of the whole
 * workspace), the SLO's error budget and burn-rate alerts, and ROI
 * from the minutes a run saves (CSV export), and the form for the stored settings behind the
 * SLO and ROI (the workflow's, or the workspace defaults). Usable on a phone: tiles and charts reflow.
 */
export class AnalyticsView extends LightElement {
  static override properties = {
    workflowId: { attribute: 'workflow-id' },
    workflows: { state: true },
    live: { state: true },
    status: { state: true },
    period: { state: true },
    series: { state: true },
    health: { state: true },
    slo: { state: true },
    roi: { state: true },
    alerts: { state: true },
    error: { state: true },
  };
  declare workflowId: string | undefined;
  declare workflows: { id: string; name: string }[];
  declare live: RealtimeFigures | undefined;
  declare status: string;
  declare period: number;
  declare series: Record<string, Series>;
  declare health: Health | undefined;
  declare slo: Slo | undefined;
  declare roi: Roi | undefined;
  declare alerts: FiringAlert[];
  declare error: string | undefined;
  #stop: (() => void) | undefined;

  constructor() {
    super();
    this.workflows = [];
    this.status = 'connecting';
    this.period = 0;
    this.series = {};
    this.alerts = [];
  }

  private get ws(): string {
    return appState.workspaceId as string;
  }

  private base(): string {
    return `/workspaces/${encodeURIComponent(this.ws)}/analytics`;
  }

  private filter(): Record<string, string> {
    return this.workflowId ? { workflowId: this.workflowId } : {};
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#stop = followRealtime(
      this.ws,
      (f) => (this.live = f),
      (s) => (this.status = s),
    );
    void appState.client.workflows
      .list(this.ws, { limit: 200 })
      .then((r) => (this.workflows = r.items.map((w) => ({ id: w.id, name: w.name }))))
      .catch(() => {});
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop?.();
  }

  private async load(): Promise<void> {
    const [, periodMs, step] = PERIODS[this.period]!;
    const to = Math.ceil(Date.now() / step) * step;
    const get = <T>(path: string, query: Record<string, string | number | boolean> = {}) =>
      appState.client.transport.request<T>('GET', `${this.base()}/${path}`, {
        query: { ...this.filter(), ...query },
      });
    try {
      const metrics = ['runs', 'errorRate', 'p95Ms'] as const;
      const [series, health, slo, alerts] = await Promise.all([
        Promise.all(
          metrics.map((metric) =>
            get<Series>('historical', { metric, from: to - periodMs, to, step, anomalies: true }),
          ),
        ),
        get<Health>('health-score', { period: periodMs }),
        get<Slo>('slo'),
        appState.client.transport.request<{ items: FiringAlert[] }>('GET', `${this.base()}/alerts`),
      ]);
      this.alerts = alerts.items;
      this.series = Object.fromEntries(metrics.map((m, i) => [m, series[i]!]));
      this.health = health;
      this.slo = slo;
      await this.loadRoi();
      this.error = undefined;
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async loadRoi(): Promise<void> {
    const r = await appState.client.transport.request<Roi | { workspace: Roi }>('GET', `${this.base()}/roi`, {
      query: {
        ...this.filter(),
        period: PERIODS[this.period]![1],
      },
    });
    this.roi = 'workspace' in r ? r.workspace : r;
  }

  private async exportCsv(): Promise<void> {
    const res = await appState.client.transport.raw('GET', `${this.base()}/roi`, {
      query: {
        period: PERIODS[this.period]![1],
        format: 'csv',
      },
      headers: { accept: 'text/csv' },
    });
    const url = URL.createObjectURL(await res.blob());
    const a = Object.assign(document.createElement('a'), { href: url, download: 'roi.csv' });
    a.click();
    URL.revokeObjectURL(url);
  }

  private tiles() {
    const w = this.live?.windows;
    const tile = (label: string, value: string, testid: string) =>
      html`<div class="an-tile" data-testid=${testid}><span class="an-tile-value">${value}</span><span class="an-tile-label">${label}</span></div>`;
    return html`<section class="an-tiles" aria-label="Live">
      ${tile('runs / min (5 min)', w ? w[1]!.ratePerMinute.toFixed(1) : '–', 'rt-rate')}
      ${tile('runs, last 15 min', w ? String(w[2]!.runs) : '–', 'rt-runs')}
      ${tile('error rate (15 min)', w ? pct(w[2]!.errorRate) : '–', 'rt-errors')}
      ${tile('p95 (15 min)', w?.[2]?.p95Ms != null ? ms(w[2].p95Ms) : '–', 'rt-p95')}
      ${tile('in flight', this.live ? String(this.live.inFlight) : '–', 'rt-inflight')}
      ${tile('queued', this.live ? String(this.live.queued) : '–', 'rt-queued')}
    </section>`;
  }

  private charts() {
    const chart = (key: string, title: string, options: Parameters<typeof lineChart>[1]) => {
      const s = this.series[key];
      const anomalies = s?.points.filter((p) => p.anomaly).length ?? 0;
      return html`<figure class="panel an-figure">
        <figcaption>${title}${anomalies ? html` <span class="tag danger">${anomalies} anomal${anomalies === 1 ? 'y' : 'ies'}</span>` : nothing}</figcaption>
        ${s ? lineChart(s.points, options) : html`<p class="muted">Loading…</p>`}
      </figure>`;
    };
    return html`<section class="an-charts">
      ${chart('runs', 'Runs', { label: 'Runs over time', kind: 'bar', format: (v) => v.toFixed(0) })}
      ${chart('errorRate', 'Error rate', { label: 'Error rate over time', format: (v) => pct(v) })}
      ${chart('p95Ms', 'p95 duration', { label: 'p95 duration over time', format: ms })}
    </section>`;
  }

  private healthPanel() {
    const h = this.health;
    if (!h) return nothing;
    const tone = h.score >= 80 ? 'good' : h.score >= 50 ? 'fair' : 'poor';
    return html`<section class="panel an-health" aria-label="Health">
      <h2>Health <span class="an-score an-${tone}" data-testid="health-score">${h.score}</span><span class="muted small">/ 100</span></h2>
      <ul class="an-factors">
        ${h.factors.map(
          (f) => html`<li>
            <span class="an-factor-name">${f.factor}</span>
            <meter min="0" max=${f.weight} .value=${f.points} aria-label=${`${f.factor} ${f.points} of ${f.weight}`}></meter>
            <span class="small">${f.points.toFixed(0)} / ${f.weight}</span>
            <span class="muted small an-factor-detail">${f.detail}</span>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private sloPanel() {
    const s = this.slo;
    if (!s) return nothing;
    const firing = s.alerts.filter((a) => a.firing);
    return html`<section class="panel an-slo" aria-label="SLO">
      <h2>SLO <span class="muted small" data-testid="slo-objective">${pct(s.target)} of runs ${
        s.objective === 'latency' ? `finish under ${ms(s.latencyMs ?? 0)}` : 'succeed'
      }, ${s.periodDays} days</span></h2>
      <p data-testid="slo-budget">Error budget left: <strong>${pct(s.budgetRemaining)}</strong>
        <span class="muted small">(${s.bad} bad of ${s.total})</span></p>
      <meter min="0" max="1" low="0.25" optimum="1" .value=${s.budgetRemaining} aria-label="Error budget left"></meter>
      ${
        firing.length
          ? html`<ul>${firing.map((a) => html`<li class="danger">${a.severity}: ${a.rule} burning ${a.longBurnRate.toFixed(1)}x</li>`)}</ul>`
          : html`<p class="muted small">No burn-rate alert firing.</p>`
      }
    </section>`;
  }

  private roiPanel() {
    const r = this.roi;
    return html`<section class="panel an-roi" aria-label="ROI">
      <h2>Return on investment</h2>
      ${
        r
          ? html`<dl class="an-roi-figures" data-testid="roi">
              <div><dt>Successful runs</dt><dd>${r.successfulRuns}</dd></div>
              <div><dt>Hours saved</dt><dd>${r.hoursSaved.toFixed(1)}</dd></div>
              <div><dt>Value</dt><dd>${money(r.value, r.currency)}</dd></div>
              <div><dt>Cost</dt><dd>${money(r.cost.total, r.currency)}</dd></div>
              <div><dt>ROI</dt><dd>${roiText(r)}</dd></div>
            </dl>`
          : nothing
      }
      ${this.workflowId ? nothing : html`<button @click=${() => void this.exportCsv()}>Export CSV per workflow</button>`}
    </section>`;
  }

  override render() {
    const select = (e: Event) => {
      const id = (e.target as HTMLSelectElement).value;
      navigate(id ? `/analytics?workflow=${encodeURIComponent(id)}` : '/analytics');
    };
    return html`<section class="page an-page">
      <div class="page-head">
        <h1>Analytics</h1>
        <span class="an-status an-${this.status}" data-testid="live-status">${this.status === 'live' ? '● live' : this.status}</span>
      </div>
      <div class="toolbar an-toolbar">
        <select aria-label="Workflow" @change=${select}>
          <option value="" ?selected=${!this.workflowId}>Whole workspace</option>
          ${this.workflows.map((w) => html`<option value=${w.id} ?selected=${w.id === this.workflowId}>${w.name}</option>`)}
        </select>
        <div class="chips" role="group" aria-label="Period">
          ${PERIODS.map(
            ([label], i) =>
              html`<button class=${i === this.period ? 'chip primary' : 'chip'} aria-pressed=${i === this.period ? 'true' : 'false'}
                @click=${() => {
                  this.period = i;
                  void this.load();
                }}>${label}</button>`,
          )}
        </div>
      </div>
      ${errorBox(this.error)}
      ${this.tiles()}
      ${this.charts()}
      ${firingAlerts(this.alerts, (id) => this.workflows.find((w) => w.id === id)?.name, this.workflowId)}
      <div class="an-panels">${this.healthPanel()}${this.sloPanel()}${this.roiPanel()}</div>
      <weft-analytics-settings .workflowId=${this.workflowId} @settings-saved=${() => void this.load()}></weft-analytics-settings>
    </section>`;
  }
}

customElements.define('weft-analytics-view', AnalyticsView);
