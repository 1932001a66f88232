import type { EditorView } from '@codemirror/view';
import { css, html, LitElement, type PropertyValues } from 'lit';
import type { PathSuggestion } from '../expressions/json-paths.js';
import { themeStyles } from '../theme/theme-styles.js';

/**
 * `<weft-code-editor>`: CodeMirror 6 for code nodes and long expressions. CodeMirror is imported
 * on first render (a separate chunk), so pages that never show code never load it; until then a
 * plain textarea edits the value. Fires `value-change` with `{ value }` on every edit.
 *
 * @example
 * ```html
 * <weft-code-editor language="javascript" label="Code"></weft-code-editor>
 * <script type="module">
 *   const ed = document.querySelector('weft-code-editor');
 *   ed.value = 'return $input.all();';
 *   ed.addEventListener('value-change', (e) => console.log(e.detail.value));
 * </script>
 * ```
 */
export class WeftCodeEditor extends LitElement {
  static override properties = {
    value: { type: String },
    language: { type: String },
    readonly: { type: Boolean, reflect: true },
    label: { type: String },
    theme: { reflect: true },
    completions: { attribute: false },
    loaded: { state: true },
  };

  static override styles = [
    themeStyles,
    css`
      :host {
        display: block;
        border: 1px solid var(--weft-border);
        border-radius: 6px;
        background: var(--weft-surface);
        min-height: 80px;
        font-size: 13px;
      }
      textarea {
        box-sizing: border-box;
        width: 100%;
        min-height: 120px;
        border: 0;
        padding: 8px;
        font: 13px ui-monospace, monospace;
        background: transparent;
        color: inherit;
      }
      .cm-editor {
        min-height: 120px;
      }
      .cm-editor .cm-gutters {
        background: var(--weft-surface-2);
        color: var(--weft-muted);
        border: 0;
      }
      .cm-editor .cm-content {
        caret-color: var(--weft-fg);
      }
    `,
  ];

  declare value: string;
  declare language: 'javascript' | 'json' | 'sql' | 'html' | 'expression';
  declare readonly: boolean;
  declare label: string;
  declare theme: 'light' | 'dark';
  declare completions: readonly PathSuggestion[];
  declare loaded: boolean;
  #view: EditorView | undefined;
  #syncing = false;

  constructor() {
    super();
    this.value = '';
    this.language = 'javascript';
    this.readonly = false;
    this.label = 'Code';
    this.theme = 'light';
    this.completions = [];
    this.loaded = false;
  }

  protected override async firstUpdated(): Promise<void> {
    const { createCodeMirror } = await import('./codemirror-view.js');
    const parent = this.renderRoot.querySelector<HTMLElement>('.host');
    if (!parent || !this.isConnected) return;
    this.#view = createCodeMirror({
      parent,
      root: this.renderRoot as ShadowRoot,
      value: this.value,
      language: this.language,
      readonly: this.readonly,
      completions: () => this.completions,
      label: this.label,
      onChange: (value) => {
        if (this.#syncing) return;
        this.value = value;
        this.#emit(value);
      },
    });
    this.loaded = true;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const view = this.#view;
    if (view && changed.has('value') && view.state.doc.toString() !== this.value) {
      this.#syncing = true;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: this.value } });
      } finally {
        this.#syncing = false;
      }
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#view?.destroy();
    this.#view = undefined;
  }

  #emit(value: string): void {
    this.dispatchEvent(new CustomEvent('value-change', { detail: { value }, bubbles: true, composed: true }));
  }

  protected override render() {
    return html`<div class="host" part="editor" ?hidden=${!this.loaded}></div>
      ${
        this.loaded
          ? null
          : html`<textarea
              aria-label=${this.label}
              .value=${this.value}
              ?readonly=${this.readonly}
              @input=${(e: Event) => {
                this.value = (e.target as HTMLTextAreaElement).value;
                this.#emit(this.value);
              }}
            ></textarea>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'weft-code-editor': WeftCodeEditor;
  }
  interface HTMLElementEventMap {
    'value-change': CustomEvent<{ value: string }>;
  }
}
