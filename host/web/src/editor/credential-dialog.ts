import type { CredentialOption } from '@weft/canvas';
import { html } from 'lit';
import { LightElement } from '../app/light-element.js';
import type { CredentialCreatedDetail } from '../credentials/credential-form.js';
import '../credentials/credential-form.js';
import type { CredentialType } from './node-catalog.js';

/**
 * `<weft-credential-dialog>`: "Create new credential" from a node's credential picker, without
 * leaving the editor. `open(types, assign)` shows the typed form for the accepted types; the stored
 * credential is handed to `assign` (the picker selects it). The dialog closes when the credential
 * works, and stays open showing the failed test otherwise.
 *
 * @example
 * ```ts
 * inspector.addEventListener('credential-create', (e) => dialog.open(typesFor(e.detail.types), e.detail.assign));
 * ```
 */
export class CredentialDialog extends LightElement {
  static override properties = { types: { state: true } };
  declare types: CredentialType[];
  #assign: ((c: CredentialOption) => void) | undefined;

  constructor() {
    super();
    this.types = [];
  }

  async open(types: CredentialType[], assign: (c: CredentialOption) => void): Promise<void> {
    this.types = types;
    this.#assign = assign;
    await this.updateComplete;
    this.querySelector('dialog')?.showModal();
  }

  private close(): void {
    this.querySelector('dialog')?.close();
  }

  private created(e: CustomEvent<CredentialCreatedDetail>): void {
    e.stopPropagation();
    const { credential, report } = e.detail;
    this.#assign?.({ id: credential.id, name: credential.name, type: credential.type });
    if (!report || report.ok) this.close();
  }

  override render() {
    return html`<dialog class="credential-dialog" aria-labelledby="cred-dialog-title">
      <header class="dialog-head">
        <h2 id="cred-dialog-title">New credential</h2>
        <button type="button" aria-label="Close" @click=${() => this.close()}>✕</button>
      </header>
      <weft-credential-form .types=${this.types} @credential-created=${this.created}></weft-credential-form>
    </dialog>`;
  }
}
customElements.define('weft-credential-dialog', CredentialDialog);
