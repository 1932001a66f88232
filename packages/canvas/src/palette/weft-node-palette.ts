import type { NodeTypeDescription } from '@weft/engine';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { compatibleNodeTypes } from '../model/connection-rules.js';
import { themeStyles } from '../theme/theme-styles.js';

/** The MIME type a palette item carries while dragged onto the canvas. */
export const NODE_TYPE_MIME = 'application/x-weft-node-type';

const GROUP_LABELS: Record<string, string> = {
  trigger: 'Triggers',
  action: 'Actions',
  transform: 'Transform',
  flow: 'Flow',
  code: 'Code',
  utility: 'Utility',
};

/** Detail of the `node-type-select` event. */
export interface NodeTypeSelectDetail {
  type: string;
}

/**
 * `<weft-node-palette>`: searchable list of node types, grouped (triggers, actions, ...). Drag an
 * entry onto a `<weft-canvas>`, or pick one with the keyboard (arrows, Enter) or a click, which
 * fires `node-type-select`. Set `connect-from` to `source`/`target` to list only types that can
 * sit at the open end of a connection. Escape fires `palette-close`.
 *
 * @example
 * ```html
 * <weft-node-palette></weft-node-palette>
 * <script type="module">
 *   const palette = document.querySelector('weft-node-palette');
 *   palette.nodeTypes = registry.describe();
 *   palette.addEventListener('node-type-select', (e) => console.log(e.detail.type));
 * </script>
 * ```
 */
export class WeftNodePalette extends LitElement {
  static override properties = {
    nodeTypes: { attribute: false },
    connectFrom: { attribute: 'connect-from' },
    query: { type: String },
    theme: { reflect: true },
    active: { state: true },
  };

  static override styles = [
    themeStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        background: var(--weft-surface);
        border: 1px solid var(--weft-border);
        border-radius: var(--weft-radius);
        box-shadow: var(--weft-shadow);
        min-width: 220px;
        max-height: 100%;
        overflow: hidden;
        font-size: 13px;
      }
      input {
        margin: 8px;
        padding: 6px 8px;
        font: inherit;
        color: inherit;
        background: var(--weft-bg);
        border: 1px solid var(--weft-border);
        border-radius: 6px;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0 4px 8px;
        overflow: auto;
      }
      li.group {
        padding: 8px 8px 2px;
        font-size: 11px;
        text-transform: uppercase;
        letter-spacing: 0.05em;
        color: var(--weft-muted);
      }
      li.item {
        padding: 6px 8px;
        border-radius: 6px;
        cursor: grab;
      }
      li.item[aria-selected='true'] {
        background: var(--weft-accent);
        color: var(--weft-accent-fg);
      }
      li.item small {
        display: block;
        color: var(--weft-muted);
      }
      li.item[aria-selected='true'] small {
        color: inherit;
      }
      .none {
        padding: 12px;
        color: var(--weft-muted);
      }
    `,
  ];

  declare nodeTypes: NodeTypeDescription[];
  declare connectFrom: 'source' | 'target' | null;
  declare query: string;
  declare theme: 'light' | 'dark';
  declare active: number;

  constructor() {
    super();
    this.nodeTypes = [];
    this.connectFrom = null;
    this.query = '';
    this.theme = 'light';
    this.active = 0;
  }

  /** The node types shown for the current query and connection filter. */
  get visibleTypes(): NodeTypeDescription[] {
    const q = this.query.trim().toLowerCase();
    const pool = this.connectFrom ? compatibleNodeTypes(this.nodeTypes, this.connectFrom) : this.nodeTypes;
    const order = Object.keys(GROUP_LABELS);
    const rank = (t: NodeTypeDescription) => {
      if (!q) return 0;
      const name = t.displayName.toLowerCase();
      return name.startsWith(q) ? 0 : name.includes(q) ? 1 : 2;
    };
    return pool
      .filter((t) => !q || `${t.displayName} ${t.type} ${t.description} ${t.group}`.toLowerCase().includes(q))
      .sort(
        (a, b) =>
          rank(a) - rank(b) ||
          order.indexOf(a.group) - order.indexOf(b.group) ||
          a.displayName.localeCompare(b.displayName),
      );
  }

  /** Moves focus to the search field. */
  override focus(): void {
    this.renderRoot.querySelector('input')?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('query') || changed.has('connectFrom') || changed.has('nodeTypes')) this.active = 0;
  }

  #select(type: string): void {
    this.dispatchEvent(
      new CustomEvent<NodeTypeSelectDetail>('node-type-select', { detail: { type }, bubbles: true, composed: true }),
    );
  }

  #onKey(e: KeyboardEvent): void {
    const count = this.visibleTypes.length;
    if (e.key === 'ArrowDown') this.active = Math.min(count - 1, this.active + 1);
    else if (e.key === 'ArrowUp') this.active = Math.max(0, this.active - 1);
    else if (e.key === 'Enter') {
      const t = this.visibleTypes[this.active];
      if (t) this.#select(t.type);
    } else if (e.key === 'Escape') {
      this.dispatchEvent(new CustomEvent('palette-close', { bubbles: true, composed: true }));
    } else return;
    e.preventDefault();
    e.stopPropagation();
  }

  protected override render() {
    const matches = this.visibleTypes;
    let lastGroup = '';
    const activeId = matches[this.active] ? `opt-${this.active}` : '';
    return html`<input
        type="search"
        part="search"
        placeholder="Search nodes…"
        aria-label="Search node types"
        role="combobox"
        aria-expanded="true"
        aria-controls="list"
        aria-activedescendant=${activeId}
        .value=${this.query}
        @input=${(e: Event) => {
          this.query = (e.target as HTMLInputElement).value;
        }}
        @keydown=${this.#onKey}
      />
      <ul id="list" role="listbox" aria-label="Node types" part="list">
        ${matches.map((t, i) => {
          const header =
            !this.query.trim() && t.group !== lastGroup
              ? html`<li class="group" role="presentation">${GROUP_LABELS[t.group] ?? t.group}</li>`
              : nothing;
          lastGroup = t.group;
          return html`${header}<li
              id=${`opt-${i}`}
              class="item"
              part="item"
              role="option"
              data-type=${t.type}
              aria-selected=${i === this.active ? 'true' : 'false'}
              draggable="true"
              @dragstart=${(e: DragEvent) => {
                e.dataTransfer?.setData(NODE_TYPE_MIME, t.type);
                e.dataTransfer?.setData('text/plain', t.type);
                if (e.dataTransfer) e.dataTransfer.effectAllowed = 'copy';
              }}
              @click=${() => this.#select(t.type)}
            >
              ${t.displayName}<small>${t.description}</small>
            </li>`;
        })}
      </ul>
      ${matches.length === 0 ? html`<div class="none" role="status">No node types match</div>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'weft-node-palette': WeftNodePalette;
  }
  interface HTMLElementEventMap {
    'node-type-select': CustomEvent<NodeTypeSelectDetail>;
    'palette-close': CustomEvent<undefined>;
  }
}
