import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { renderNodeIcon } from '../canvas/render-node-icon.js';
import { compatibleNodeTypes } from '../model/connection-rules.js';
import { type NodeCatalogueEntry, searchCatalogue, sectionOf } from '../model/node-catalogue.js';
import { themeStyles } from '../theme/theme-styles.js';

/** The MIME type a palette item carries while dragged onto the canvas. */
export const NODE_TYPE_MIME = 'application/x-weft-node-type';

/** Detail of the `node-type-select` event. */
export interface NodeTypeSelectDetail {
  type: string;
}

/**
 * `<weft-node-palette>`: searchable list of node types with their icons, grouped (triggers, the
 * engine's groups, then one section per app), searched by name, app, alias, type name and
 * description (`cron` finds the schedule trigger, `slack` every Slack action). Drag an
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
        display: grid;
        grid-template-columns: 24px 1fr;
        column-gap: 8px;
        align-items: center;
        padding: 6px 8px;
        border-radius: 6px;
        cursor: grab;
      }
      .icon {
        grid-row: span 2;
        width: 24px;
        height: 24px;
        border-radius: 6px;
        overflow: hidden;
        display: grid;
        place-items: center;
        background: var(--weft-surface-2);
      }
      .icon img,
      .icon svg {
        display: block;
        width: 24px;
        height: 24px;
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

  declare nodeTypes: NodeCatalogueEntry[];
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
  get visibleTypes(): NodeCatalogueEntry[] {
    const pool = this.connectFrom ? compatibleNodeTypes(this.nodeTypes, this.connectFrom) : this.nodeTypes;
    return searchCatalogue(pool, this.query);
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
          const section = sectionOf(t);
          const header =
            !this.query.trim() && section !== lastGroup
              ? html`<li class="group" role="presentation">${section}</li>`
              : nothing;
          lastGroup = section;
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
              <span class="icon" aria-hidden="true">${renderNodeIcon(t)}</span>
              <span class="name">${t.displayName}</span>
              <small>${t.category && (this.query.trim() || t.group === 'trigger') ? `${t.category} · ` : ''}${t.description}</small>
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
