import type { CredentialInfo } from '@weft/client';
import type { ParameterSpec } from '@weft/engine';
import { html, nothing } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import type { CredentialType } from '../editor/node-catalog.js';
import { connectOAuth2, oauth2RedirectUrl } from './oauth2-connect.js';
import { type CredentialTestReport, testReport } from './test-report.js';

/** Detail of `credential-created`. */
export interface CredentialCreatedDetail {
  credential: CredentialInfo;
  /** The connection test's answer, when the type can be tested. */
  report?: CredentialTestReport;
}

/**
 * The form control name of a scheme field: prefixed, since a field may itself be called `name`
 * (Header auth's header name) and would otherwise read the credential's own name.
 */
const control = (field: string) => `field:${field}`;

function fieldControl(field: string, spec: ParameterSpec) {
  const id = `cred-field-${field}`;
  const name = control(field);
  const help = spec.description ? html`<small class="muted">${spec.description}</small>` : nothing;
  const label = html`${spec.label}${spec.required ? html`<span aria-hidden="true"> *</span>` : nothing}`;
  switch (spec.kind) {
    case 'boolean':
      return html`<label class="check"><input type="checkbox" name=${name} ?checked=${spec.default === true} /> ${label}</label>${help}`;
    case 'number':
      return html`<label for=${id}>${label}</label><input id=${id} name=${name} type="number" data-kind="number"
        .value=${spec.default === undefined ? '' : String(spec.default)} ?required=${spec.required} />${help}`;
    case 'options':
      return html`<label for=${id}>${label}</label><select id=${id} name=${name} ?required=${spec.required}>
        ${Array.isArray(spec.options) ? spec.options.map((o) => html`<option value=${o.value} ?selected=${o.value === spec.default}>${o.label}</option>`) : nothing}
      </select>${help}`;
    default: {
      const secret = spec.kind === 'string' && spec.secret;
      const value = 'default' in spec && typeof spec.default === 'string' ? spec.default : '';
      return html`<label for=${id}>${label}</label><input id=${id} name=${name} type=${secret ? 'password' : 'text'}
        autocomplete=${secret ? 'new-password' : 'off'} .value=${value} placeholder=${spec.placeholder ?? ''}
        ?required=${spec.required} />${help}`;
    }
  }
}

/**
 * `<weft-credential-form>`: creates a credential of one of `types` (connector auth schemes from
 * `GET /credential-types`) with a form generated from the scheme's fields — secrets as password
 * fields, never shown again — then tests it when the scheme can be tested, reporting status, host
 * and reason. OAuth2 authorization-code types show the redirect URL to register with the provider
 * and connect right after saving (a popup to the provider); the report says who connected.
 * Fires `credential-created` (bubbling) with the stored credential's metadata.
 *
 * @example
 * ```ts
 * html`<weft-credential-form .types=${catalogue.credentialTypes}></weft-credential-form>`;
 * ```
 */
export class CredentialForm extends LightElement {
  static override properties = {
    types: { attribute: false },
    selected: { state: true },
    error: { state: true },
    report: { state: true },
    busy: { state: true },
    connecting: { state: true },
  };
  declare connecting: boolean;
  #cancel: AbortController | undefined;
  declare types: CredentialType[];
  declare selected: string | undefined;
  declare error: string | undefined;
  declare report: CredentialTestReport | undefined;
  declare busy: boolean;

  constructor() {
    super();
    this.types = [];
    this.busy = false;
    this.connecting = false;
  }

  private get type(): CredentialType | undefined {
    return this.types.find((t) => t.type === this.selected) ?? this.types[0];
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const type = this.type;
    if (!type) return;
    const formEl = e.target as HTMLFormElement;
    const form = new FormData(formEl);
    const data: Record<string, string | number | boolean> = {};
    for (const [name, spec] of Object.entries(type.fields)) {
      if (spec.kind === 'boolean') data[name] = form.get(control(name)) === 'on';
      else {
        const raw = String(form.get(control(name)) ?? '');
        if (raw === '') continue;
        data[name] = spec.kind === 'number' ? Number(raw) : raw;
      }
    }
    const ws = appState.workspaceId as string;
    this.busy = true;
    this.error = undefined;
    this.report = undefined;
    try {
      const credential = await appState.client.workspaces.createCredential(ws, {
        type: type.type,
        name: String(form.get('name')).trim(),
        data,
      });
      if (type.kind === 'oauth2' && type.grant === 'authorizationCode') {
        this.connecting = true;
        this.#cancel = new AbortController();
        const r = await connectOAuth2(credential.id, this.#cancel.signal);
        this.report = r.ok ? { ok: true, message: r.message } : { ok: false, message: r.message };
      } else if (type.testable) this.report = await appState.client.workspaces.testCredential(ws, credential.id);
      formEl.reset();
      (formEl.elements.namedItem('name') as HTMLInputElement).value = `${type.connectorDisplayName} account`;
      this.dispatchEvent(
        new CustomEvent<CredentialCreatedDetail>('credential-created', {
          bubbles: true,
          composed: true,
          detail: { credential, ...(this.report ? { report: this.report } : {}) },
        }),
      );
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
      this.connecting = false;
    }
  }

  override render() {
    const type = this.type;
    if (!type) return html`<p class="muted">No credential types to choose from.</p>`;
    const oauth = type.kind === 'oauth2' && type.grant === 'authorizationCode';
    return html`<form class="credential-form" @submit=${this.submit}>
      ${
        this.types.length > 1
          ? html`<label for="cred-type">Credential type</label>
            <select id="cred-type" name="type" @change=${(e: Event) => {
              this.selected = (e.target as HTMLSelectElement).value;
              this.report = undefined;
            }}>
              ${this.types.map(
                (t) =>
                  html`<option value=${t.type} ?selected=${t.type === type.type}>${t.connectorDisplayName} — ${t.displayName}</option>`,
              )}
            </select>`
          : html`<p class="cred-type-one">${type.icon ? html`<img src=${type.icon} alt="" width="20" height="20" />` : nothing}
              <strong>${type.connectorDisplayName}</strong> — ${type.displayName}</p>`
      }
      ${type.description ? html`<p class="muted small">${type.description}</p>` : nothing}
      <label for="cred-name">Name</label>
      <input id="cred-name" name="name" required maxlength="200" .value=${`${type.connectorDisplayName} account`} />
      ${Object.entries(type.fields).map(([name, spec]) => html`<div class="cred-field">${fieldControl(name, spec)}</div>`)}
      ${
        oauth
          ? html`<div class="redirect-url"><label for="cred-redirect">Redirect URL</label>
              <div class="copy-row"><input id="cred-redirect" readonly value=${oauth2RedirectUrl()} />
                <button type="button" @click=${() => navigator.clipboard?.writeText(oauth2RedirectUrl())}>Copy</button></div>
              <small class="muted">Register this URL with the provider's OAuth app. Saving opens the provider in a popup to connect.</small></div>`
          : nothing
      }
      ${errorBox(this.error)} ${this.report ? testReport(this.report) : nothing}
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this.busy}>${
          this.connecting
            ? 'Waiting for the provider…'
            : oauth
              ? 'Save and connect'
              : type.testable
                ? 'Save and test'
                : 'Save'
        }</button>
        ${this.connecting ? html`<button type="button" @click=${() => this.#cancel?.abort()}>Cancel</button>` : nothing}
      </div>
      <p class="muted small">Secrets are encrypted on the server and can never be read back.</p>
    </form>`;
  }
}
customElements.define('weft-credential-form', CredentialForm);
