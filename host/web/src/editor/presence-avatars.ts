import { html, LitElement, nothing } from 'lit';
import type { CollabSession } from './collab-session.js';

/**
 * `<weft-presence-avatars>`: who is editing this workflow right now (initials in each user's
 * colour, name on hover; the signed-in user first), and whether live sync is connected.
 *
 * @example
 * ```ts
 * html`<weft-presence-avatars .session=${session}></weft-presence-avatars>`
 * ```
 */
export class PresenceAvatars extends LitElement {
  static override properties = { session: { attribute: false } };
  declare session: CollabSession | undefined;
  #watched: CollabSession | undefined;
  #onChange = () => this.requestUpdate();

  override createRenderRoot() {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#watch(this.session);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#watch(undefined);
  }

  override willUpdate(): void {
    if (this.isConnected) this.#watch(this.session);
  }

  #watch(session: CollabSession | undefined): void {
    if (session === this.#watched) return;
    this.#watched?.removeEventListener('change', this.#onChange);
    this.#watched = session;
    session?.addEventListener('change', this.#onChange);
  }

  override render() {
    const s = this.session;
    if (!s) return nothing;
    const people = s.people;
    const initials = (name: string) =>
      name
        .split(/[\s@.]+/)
        .filter(Boolean)
        .slice(0, 2)
        .map((w) => w[0]?.toUpperCase())
        .join('');
    return html`<span class="presence" role="group" aria-label=${`${people.length} editing: ${people.map((p) => p.name).join(', ')}`}
      style="display:inline-flex;align-items:center;gap:2px">
      ${people.map(
        (p, i) => html`<span class="presence-avatar" data-name=${p.name} title=${i === 0 ? `${p.name} (you)` : p.name}
          style=${`display:inline-grid;place-items:center;width:26px;height:26px;border-radius:50%;background:${p.color};color:#fff;font:600 11px system-ui,sans-serif;border:2px solid var(--weft-surface, #fff);margin-left:${i ? -6 : 0}px`}>${initials(p.name)}</span>`,
      )}
      <span class="presence-status" data-connected=${s.connected ? 'true' : 'false'}
        title=${s.connected ? 'Live: changes sync as you edit' : 'Offline: your changes merge when the connection is back'}
        style=${`margin-left:6px;font-size:12px;color:${s.connected ? '#30a46c' : '#e5484d'}`}>${s.connected ? '● Live' : '○ Offline'}</span>
    </span>`;
  }
}
customElements.define('weft-presence-avatars', PresenceAvatars);
