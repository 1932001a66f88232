import type { Item } from '@weft/engine';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { PreviewResult } from '../expressions/expression-preview.js';
import { completePath, type PathSuggestion } from '../expressions/json-paths.js';
import { themeStyles } from '../theme/theme-styles.js';

let counter = 0;

/**
 * `<weft-expression-input>`: a text field for `{{ }}` templates with `$json` path autocomplete
 * (from the items of the last run) and a live preview of the value, evaluated by the engine's
 * InterpreterSandbox. The preview module (and the sandbox) load on first use. Fires
 * `value-change` with `{ value }`.
 *
 * @example
 * ```html
 * <weft-expression-input label="Subject"></weft-expression-input>
 * <script type="module">
 *   const input = document.querySelector('weft-expression-input');
 *   input.items = [{ json: { name: 'Ada' } }];
 *   input.value = 'Hi {{ $json.name }}';
 * </script>
 * ```
 */
export class WeftExpressionInput extends LitElement {
  static override properties = {
    value: { type: String },
    label: { type: String },
    items: { attribute: false },
    nodes: { attribute: false },
    suggestions: { attribute: false },
    readonly: { type: Boolean },
    preview: { state: true },
    open: { state: true },
    active: { state: true },
  };

  static override styles = [
    themeStyles,
    css`
      :host {
        display: block;
        position: relative;
      }
      textarea {
        box-sizing: border-box;
        width: 100%;
        min-height: 34px;
        padding: 6px 8px;
        font: 13px ui-monospace, monospace;
        color: inherit;
        background: var(--weft-bg);
        border: 1px solid var(--weft-accent);
        border-radius: 6px;
        resize: vertical;
      }
      ul {
        position: absolute;
        z-index: 5;
        left: 0;
        right: 0;
        margin: 2px 0 0;
        padding: 4px;
        list-style: none;
        max-height: 180px;
        overflow: auto;
        background: var(--weft-surface);
        border: 1px solid var(--weft-border);
        border-radius: 6px;
        box-shadow: var(--weft-shadow);
      }
      li {
        padding: 3px 6px;
        border-radius: 4px;
        font: 12px ui-monospace, monospace;
        cursor: pointer;
      }
      li[aria-selected='true'] {
        background: var(--weft-accent);
        color: var(--weft-accent-fg);
      }
      li small {
        opacity: 0.7;
        margin-left: 6px;
      }
      output {
        display: block;
        margin-top: 4px;
        padding: 4px 8px;
        border-radius: 6px;
        background: var(--weft-surface-2);
        font: 12px ui-monospace, monospace;
        white-space: pre-wrap;
        word-break: break-all;
      }
      output.error {
        color: var(--weft-danger);
      }
    `,
  ];

  declare value: string;
  declare label: string;
  declare items: Item[];
  declare nodes: Record<string, Item[]>;
  declare suggestions: readonly PathSuggestion[];
  declare readonly: boolean;
  declare preview: PreviewResult | null;
  declare open: { from: number; options: PathSuggestion[] } | null;
  declare active: number;
  readonly #id = `expr-${++counter}`;
  #seq = 0;

  constructor() {
    super();
    this.value = '';
    this.label = 'Expression';
    this.items = [];
    this.nodes = {};
    this.suggestions = [];
    this.readonly = false;
    this.preview = null;
    this.open = null;
    this.active = 0;
  }

  /** Focuses the text with the caret at its end (after a switch to expression mode). */
  focusAtEnd(): void {
    const ta = this.renderRoot.querySelector('textarea');
    if (!ta) return;
    ta.focus();
    ta.setSelectionRange(ta.value.length, ta.value.length);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('value') || changed.has('items') || changed.has('nodes')) void this.#evaluate();
  }

  async #evaluate(): Promise<void> {
    const seq = ++this.#seq;
    const { previewExpression } = await import('../expressions/expression-preview.js');
    const result = await previewExpression(this.value, { items: this.items, nodes: this.nodes });
    if (seq === this.#seq) this.preview = result;
  }

  #input(e: Event): void {
    const ta = e.target as HTMLTextAreaElement;
    this.value = ta.value;
    this.open = completePath(ta.value, ta.selectionStart ?? ta.value.length, this.suggestions);
    if (this.open && this.open.options.length === 0) this.open = null;
    this.active = 0;
    this.dispatchEvent(
      new CustomEvent('value-change', { detail: { value: this.value }, bubbles: true, composed: true }),
    );
  }

  #accept(s: PathSuggestion): void {
    const ta = this.renderRoot.querySelector('textarea');
    if (!ta || !this.open) return;
    const cursor = ta.selectionStart ?? this.value.length;
    const next = this.value.slice(0, this.open.from) + s.path + this.value.slice(cursor);
    const at = this.open.from + s.path.length;
    this.value = next;
    this.open = null;
    this.dispatchEvent(new CustomEvent('value-change', { detail: { value: next }, bubbles: true, composed: true }));
    void this.updateComplete.then(() => {
      ta.focus();
      ta.setSelectionRange(at, at);
    });
  }

  #key(e: KeyboardEvent): void {
    const open = this.open;
    if (!open) return;
    if (e.key === 'ArrowDown') this.active = Math.min(open.options.length - 1, this.active + 1);
    else if (e.key === 'ArrowUp') this.active = Math.max(0, this.active - 1);
    else if (e.key === 'Enter' || e.key === 'Tab') {
      const s = open.options[this.active];
      if (s) this.#accept(s);
    } else if (e.key === 'Escape') this.open = null;
    else return;
    e.preventDefault();
    e.stopPropagation();
  }

  protected override render() {
    const p = this.preview;
    return html`<textarea
        part="input"
        rows=${Math.min(6, Math.max(1, Math.ceil(this.value.length / 36)))}
        aria-label=${this.label}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls=${`${this.#id}-list`}
        aria-describedby=${`${this.#id}-preview`}
        aria-activedescendant=${this.open ? `${this.#id}-${this.active}` : ''}
        .value=${this.value}
        ?readonly=${this.readonly}
        @input=${this.#input}
        @keydown=${this.#key}
        @blur=${() => setTimeout(() => (this.open = null), 150)}
      ></textarea>
      ${
        this.open
          ? html`<ul id=${`${this.#id}-list`} role="listbox" aria-label="$json paths">
              ${this.open.options.map(
                (s, i) =>
                  html`<li
                    id=${`${this.#id}-${i}`}
                    role="option"
                    aria-selected=${i === this.active ? 'true' : 'false'}
                    @mousedown=${(e: Event) => {
                      e.preventDefault();
                      this.#accept(s);
                    }}
                  >
                    ${s.path}<small>${s.type} ${s.sample}</small>
                  </li>`,
              )}
            </ul>`
          : nothing
      }
      <output id=${`${this.#id}-preview`} part="preview" class=${p?.kind === 'error' ? 'error' : ''} aria-live="polite"
        >${
          p === null
            ? '…'
            : p.kind === 'error'
              ? `Error: ${p.message}`
              : p.kind === 'literal'
                ? p.value
                : typeof p.value === 'string'
                  ? p.value
                  : JSON.stringify(p.value)
        }</output
      >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'weft-expression-input': WeftExpressionInput;
  }
}
