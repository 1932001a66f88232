import type { Invite, Member, Role } from '@weft/client';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage } from '../app/format.js';
import { LightElement } from '../app/light-element.js';

const ROLES: Role[] = ['owner', 'admin', 'editor', 'operator', 'viewer'];

/** Members and roles: change a role, remove a member, invite with a one-time link. */
export class MembersView extends LightElement {
  static override properties = { items: { state: true }, error: { state: true }, invite: { state: true } };
  declare items: Member[];
  declare error: string | undefined;
  declare invite: Invite | undefined;

  constructor() {
    super();
    this.items = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.items = (await appState.client.workspaces.members(appState.workspaceId as string)).items;
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async act(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
      this.error = undefined;
      await this.load();
    } catch (e) {
      this.error = errorMessage(e);
      await this.load();
    }
  }

  override render() {
    const ws = appState.workspaceId as string;
    const api = appState.client.workspaces;
    const me = appState.me?.user.id;
    return html`<section class="page">
      <header class="page-head"><h1>Members</h1></header>
      ${errorBox(this.error)}
      <table class="list">
        <thead><tr><th>Member</th><th>Role</th><th></th></tr></thead>
        <tbody>${this.items.map(
          (m) => html`<tr>
            <td>${m.name ?? m.email}<div class="muted small">${m.email}</div></td>
            <td><select aria-label=${`Role of ${m.email}`} ?disabled=${m.userId === me}
              @change=${(e: Event) => this.act(() => api.setRole(ws, m.userId, (e.target as HTMLSelectElement).value as Role))}>
              ${ROLES.map((r) => html`<option ?selected=${r === m.role}>${r}</option>`)}
            </select></td>
            <td>${
              m.userId === me
                ? html`<span class="muted">you</span>`
                : html`<button class="danger" @click=${() => {
                    if (confirm(`Remove ${m.email}?`)) void this.act(() => api.removeMember(ws, m.userId));
                  }}>Remove</button>`
            }</td>
          </tr>`,
        )}</tbody>
      </table>
      <form class="panel" @submit=${async (e: SubmitEvent) => {
        e.preventDefault();
        const form = new FormData(e.target as HTMLFormElement);
        const email = String(form.get('email') ?? '').trim();
        try {
          this.invite = await api.invite(ws, { role: form.get('role') as Role, ...(email ? { email } : {}) });
          this.error = undefined;
        } catch (err) {
          this.error = errorMessage(err);
        }
      }}>
        <h2>Invite someone</h2>
        <label>Email (optional: binds the link to it) <input name="email" type="email" /></label>
        <label>Role <select name="role">${ROLES.slice(1).map((r) => html`<option ?selected=${r === 'editor'}>${r}</option>`)}</select></label>
        <button class="primary" type="submit">Create invitation link</button>
        ${
          this.invite
            ? html`<p class="notice" role="status">Send this one-time link (valid 7 days) to the ${this.invite.role}:
                <code class="secret">${this.invite.url}</code></p>`
            : ''
        }
      </form>
    </section>`;
  }
}
customElements.define('weft-members-view', MembersView);
