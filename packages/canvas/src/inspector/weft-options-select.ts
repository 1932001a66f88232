import type { OptionChoice } from '@weft/engine';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { themeStyles } from '../theme/theme-styles.js';

/** Loads the options of a dynamic dropdown, e.g. through a host's `node-types/options` route. */
export type OptionsLoader = (search: string) => Promise<OptionChoice[]>;

/**
 * `<weft-options-select>`: a dropdown whose options come from a loader (Slack channels, sheet
 * tabs). It loads when shown and whenever `key` changes (the credential or a parameter it depends
 * on), keeps a value the list does not contain, says why it has no options (loading, an error)
 * and has a reload button. Fires `value-change` with `{ value }`.
 *
 * @example
 * ```ts
 * html`<weft-options-select .load=${(q) => api.options('listChannels', q)} .value=${'C1'} key=${credentialId}></weft-options-select>`;
 * ```
 */
export class WeftOptionsSelect extends LitElement {
  static override properties = {
    load: { attribute: false },
    value: { attribute: false },
    multiple: { type: Boolean },
    readonly: { type: Boolean },
    key: { type: String },
    label: { type: String },
    options: { state: true },
    status: { state: true },
  };

  static override styles = [
    themeStyles,
    css`
      :host {
        display: flex;
        gap: 4px;
        align-items: flex-start;
      }
      select {
        flex: 1;
        min-width: 0;
        padding: 6px 8px;
        font: inherit;
        color: inherit;
        background: var(--weft-bg);
        border: 1px solid var(--weft-border);
        border-radius: 6px;
      }
      button {
        font: inherit;
        padding: 5px 8px;
        color: inherit;
        background: var(--weft-surface-2);
        border: 1px solid var(--weft-border);
        border-radius: 6px;
        cursor: pointer;
      }
      p {
        flex-basis: 100%;
        margin: 2px 0 0;
        font-size: 12px;
        color: var(--weft-muted);
      }
      p.error {
        color: var(--weft-danger);
      }
      .wrap {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        width: 100%;
      }
    `,
  ];

  declare load: OptionsLoader | null;
  declare value: string | string[] | undefined;
  declare multiple: boolean;
  declare readonly: boolean;
  declare key: string;
  declare label: string;
  declare options: OptionChoice[];
  declare status: { kind: 'loading' | 'error' | 'ok'; message?: string };
  #seq = 0;

  constructor() {
    super();
    this.load = null;
    this.value = undefined;
    this.multiple = false;
    this.readonly = false;
    this.key = '';
    this.label = 'Options';
    this.options = [];
    this.status = { kind: 'ok' };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('key') || changed.has('load')) void this.reload();
  }

  /** Loads the options again. */
  async reload(): Promise<void> {
    if (!this.load) return;
    const seq = ++this.#seq;
    this.status = { kind: 'loading' };
    try {
      const options = await this.load('');
      if (seq !== this.#seq) return;
      this.options = options;
      this.status = { kind: 'ok' };
    } catch (e) {
      if (seq === this.#seq) this.status = { kind: 'error', message: (e as Error).message ?? String(e) };
    }
  }

  protected override render() {
    const selected = new Set(Array.isArray(this.value) ? this.value : this.value ? [this.value] : []);
    const known = new Set(this.options.map((o) => o.value));
    const extra = [...selected].filter((v) => !known.has(v));
    const s = this.status;
    return html`<div class="wrap">
      <select part="select" aria-label=${this.label} ?multiple=${this.multiple} ?disabled=${this.readonly}
        @change=${(e: Event) => {
          const el = e.target as HTMLSelectElement;
          const value = this.multiple ? [...el.selectedOptions].map((o) => o.value) : el.value || undefined;
          this.value = value;
          this.dispatchEvent(new CustomEvent('value-change', { detail: { value }, bubbles: true, composed: true }));
        }}>
        ${this.multiple ? nothing : html`<option value="" ?selected=${selected.size === 0}>${s.kind === 'loading' ? 'Loading…' : 'Choose…'}</option>`}
        ${extra.map((v) => html`<option value=${v} selected>${v}</option>`)}
        ${this.options.map((o) => html`<option value=${o.value} ?selected=${selected.has(o.value)} title=${o.description ?? ''}>${o.label}</option>`)}
      </select>
      <button type="button" aria-label=${`Reload ${this.label}`} title="Reload the list" ?disabled=${this.readonly || s.kind === 'loading'}
        @click=${() => this.reload()}>↻</button>
      ${
        s.kind === 'error'
          ? html`<p class="error" role="alert">${s.message}</p>`
          : s.kind === 'ok' && this.options.length === 0 && this.load
            ? html`<p role="status">No options found</p>`
            : nothing
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'weft-options-select': WeftOptionsSelect;
  }
}
