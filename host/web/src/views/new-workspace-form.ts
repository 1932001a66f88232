import type { Regions } from '@weft/client';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { navigate } from '../app/router.js';

/**
 * Settings panel to create a workspace. On a host with data residency regions (`WEFT_REGIONS`)
 * it asks where the workspace's data is kept (preselected: the default region); the region cannot
 * be changed after creation.
 *
 * @example
 * ```html
 * <weft-new-workspace-form></weft-new-workspace-form>
 * ```
 */
export class NewWorkspaceForm extends LightElement {
  static override properties = { regions: { state: true }, error: { state: true }, busy: { state: true } };
  declare regions: Regions;
  declare error: string | undefined;
  declare busy: boolean;

  constructor() {
    super();
    this.regions = { items: [], default: null };
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.regions = await appState.client.workspaces.regions();
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async create(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const region = form.get('region');
    this.busy = true;
    try {
      const ws = await appState.client.workspaces.create(String(form.get('name')).trim(), {
        ...(typeof region === 'string' && region ? { region } : {}),
      });
      await appState.loadMe();
      appState.selectWorkspace(ws.id);
      navigate('/workflows');
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const { items, default: preset } = this.regions;
    return html`<form class="panel" aria-labelledby="new-ws-title" @submit=${this.create}>
      <h2 id="new-ws-title">New workspace</h2>
      ${errorBox(this.error)}
      <label>Name <input name="name" required maxlength="200" autocomplete="off" /></label>
      ${
        items.length
          ? html`<label>Data region
              <select name="region" aria-describedby="new-ws-region-hint">
                ${items.map((r) => html`<option value=${r.name} ?selected=${r.name === preset}>${r.name}</option>`)}
              </select></label>
              <p id="new-ws-region-hint" class="muted small">
                Workflows, executions, credentials, files and the audit log are stored in this region only. It cannot be changed later.
              </p>`
          : ''
      }
      <button class="primary" type="submit" ?disabled=${this.busy}>Create workspace</button>
    </form>`;
  }
}
customElements.define('weft-new-workspace-form', NewWorkspaceForm);

/**
 * The current workspace's data residency region as a settings line ("Data region: eu"), or
 * nothing on a host without regions.
 *
 * @example
 * ```html
 * <weft-workspace-region></weft-workspace-region>
 * ```
 */
export class WorkspaceRegion extends LightElement {
  static override properties = { region: { state: true } };
  declare region: string | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void appState.client.workspaces
      .list()
      .then((list) => {
        this.region = list.items.find((w) => w.id === appState.workspaceId)?.region;
      })
      .catch(() => undefined);
  }

  override render() {
    return this.region
      ? html`<p class="muted small">Data region: <strong>${this.region}</strong> (fixed when the workspace was created)</p>`
      : '';
  }
}
customElements.define('weft-workspace-region', WorkspaceRegion);
