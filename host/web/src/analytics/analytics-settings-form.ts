import { html, nothing } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage } from '../app/format.js';
import { LightElement } from '../app/light-element.js';

/** The stored settings of a workflow or of the workspace (`GET/PUT …/analytics-settings`). */
export interface AnalyticsSettingsValues {
  sloTarget?: number;
  latencyObjectiveMs?: number;
  windowDays?: number;
  minimumEvents?: number;
  currency?: string;
  costPerExecution?: number;
  costPerComputeSecond?: number;
  costPerThousandAiTokens?: number;
  minutesSavedPerRun?: number;
  hourlyRate?: number;
}

type Field = [key: keyof AnalyticsSettingsValues, label: string, hint: string, scale?: number];

const FIELDS: Field[] = [
  ['sloTarget', 'SLO: runs that succeed (%)', '99', 100],
  ['latencyObjectiveMs', 'SLO: latency objective p95 (ms)', 'success only'],
  ['windowDays', 'SLO window (days)', '30'],
  ['minutesSavedPerRun', 'Minutes saved per run', '0'],
  ['hourlyRate', 'Hourly rate of that work', '0'],
  ['costPerExecution', 'Cost per execution', '0'],
  ['costPerComputeSecond', 'Cost per compute-second', '0'],
  ['costPerThousandAiTokens', 'Cost per 1,000 AI tokens', '0'],
];

/**
 * Form for the stored SLO objective, cost rates and minutes saved per run of one workflow
 * (`workflow-id`) or, without it, of the workspace's default. Empty fields fall back to the
 * default (shown as the placeholder). Fires `settings-saved` after a save.
 */
export class AnalyticsSettingsForm extends LightElement {
  static override properties = {
    workflowId: { attribute: 'workflow-id' },
    own: { state: true },
    effective: { state: true },
    error: { state: true },
    saved: { state: true },
  };
  declare workflowId: string | undefined;
  declare own: AnalyticsSettingsValues;
  declare effective: AnalyticsSettingsValues;
  declare error: string | undefined;
  declare saved: boolean;
  #loaded: string | undefined;

  constructor() {
    super();
    this.own = {};
    this.effective = {};
    this.saved = false;
  }

  private path(): string {
    const ws = `/workspaces/${encodeURIComponent(appState.workspaceId as string)}`;
    return this.workflowId
      ? `${ws}/workflows/${encodeURIComponent(this.workflowId)}/analytics-settings`
      : `${ws}/analytics-settings`;
  }

  protected override updated(): void {
    const key = this.workflowId ?? '';
    if (this.#loaded === key) return;
    this.#loaded = key;
    appState.client.transport
      .request<{ settings: AnalyticsSettingsValues; effective: AnalyticsSettingsValues }>('GET', this.path())
      .then((r) => {
        this.own = r.settings;
        this.effective = r.effective;
      })
      .catch((e) => (this.error = errorMessage(e)));
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const body: Record<string, number | string> = {};
    for (const [key, , , scale] of FIELDS) {
      const raw = String(form.get(key) ?? '').trim();
      if (raw !== '') body[key] = Number(raw) / (scale ?? 1);
    }
    const currency = String(form.get('currency') ?? '')
      .trim()
      .toUpperCase();
    if (currency) body.currency = currency;
    try {
      const r = await appState.client.transport.request<{
        settings: AnalyticsSettingsValues;
        effective: AnalyticsSettingsValues;
      }>('PUT', this.path(), { body });
      this.own = r.settings;
      this.effective = r.effective;
      this.error = undefined;
      this.saved = true;
      this.dispatchEvent(new CustomEvent('settings-saved', { bubbles: true, composed: true }));
    } catch (err) {
      this.error = errorMessage(err);
      this.saved = false;
    }
  }

  override render() {
    const value = (key: keyof AnalyticsSettingsValues, scale = 1) => {
      const v = this.own[key];
      return typeof v === 'number' ? String(Number((v * scale).toPrecision(10))) : '';
    };
    const fallback = (key: keyof AnalyticsSettingsValues, hint: string, scale = 1) => {
      const v = this.workflowId ? this.effective[key] : undefined;
      return typeof v === 'number' && this.own[key] === undefined ? String(Number((v * scale).toPrecision(10))) : hint;
    };
    return html`<section class="panel an-settings" aria-label="Analytics settings">
      <h2>${this.workflowId ? 'Settings of this workflow' : 'Workspace defaults'}</h2>
      <p class="muted small">${
        this.workflowId
          ? 'Empty fields use the workspace defaults (shown greyed).'
          : 'Each workflow may override these.'
      } Used for the SLO, health and ROI above.</p>
      <form class="an-settings-grid" @submit=${(e: Event) => void this.save(e)} @input=${() => (this.saved = false)}>
        ${FIELDS.map(
          ([key, label, hint, scale]) => html`<label class="small">${label}
            <input name=${key} type="number" min="0" step="any" inputmode="decimal" .value=${value(key, scale)}
              placeholder=${fallback(key, hint, scale)} /></label>`,
        )}
        <label class="small">Currency
          <input name="currency" maxlength="3" .value=${this.own.currency ?? ''} placeholder=${this.effective.currency ?? 'USD'} /></label>
        <div class="an-settings-actions">
          <button class="primary" type="submit">Save settings</button>
          ${this.saved ? html`<span class="small" role="status" data-testid="settings-saved">Saved</span>` : nothing}
        </div>
      </form>
      ${errorBox(this.error)}
    </section>`;
  }
}

customElements.define('weft-analytics-settings', AnalyticsSettingsForm);
