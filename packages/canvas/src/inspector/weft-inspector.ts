import type { Item, NodeTypeDescription, WorkflowNode } from '@weft/engine';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { jsonPaths, type PathSuggestion } from '../expressions/json-paths.js';
import type { WorkflowProblem } from '../model/problems-by-node.js';
import { themeStyles } from '../theme/theme-styles.js';
import { inspectorStyles } from './inspector-styles.js';
import { type CredentialOption, renderFields, setIn } from './parameter-form.js';
import { WeftExpressionInput } from './weft-expression-input.js';

/** Detail of `node-change`. */
export interface NodeChangeDetail {
  node: WorkflowNode;
  /** Which field changed (`parameters.url`, `name`); edits of one field can merge into one undo step. */
  field: string;
}

let counter = 0;

/**
 * `<weft-inspector>`: the form for one node, generated from its type's parameter specs, with
 * the node's name and settings, a credential picker, and expression fields that autocomplete
 * `$json` paths from `inputItems` (the node's input in the last run) and preview their value.
 * Every edit fires `node-change` with the whole updated node; pass it to `canvas.updateNode()`.
 *
 * @example
 * ```ts
 * canvas.addEventListener('selection-change', (e) => {
 *   inspector.node = canvas.workflow.nodes.find((n) => n.id === e.detail.nodeIds[0]);
 * });
 * inspector.addEventListener('node-change', (e) => canvas.updateNode(e.detail.node, e.detail.field));
 * ```
 */
export class WeftInspector extends LitElement {
  static override properties = {
    node: { attribute: false },
    nodeTypes: { attribute: false },
    credentials: { attribute: false },
    inputItems: { attribute: false },
    nodeOutputs: { attribute: false },
    problems: { attribute: false },
    readonly: { type: Boolean, reflect: true },
    theme: { reflect: true },
  };

  static override styles = [themeStyles, inspectorStyles];

  declare node: WorkflowNode | null;
  declare nodeTypes: NodeTypeDescription[];
  declare credentials: CredentialOption[];
  declare inputItems: Item[];
  declare nodeOutputs: Record<string, Item[]>;
  declare problems: WorkflowProblem[];
  declare readonly: boolean;
  declare theme: 'light' | 'dark';
  readonly #prefix = `insp-${++counter}`;
  #suggestions: PathSuggestion[] = [];
  #expressionPaths = new Set<string>();

  constructor() {
    super();
    this.node = null;
    this.nodeTypes = [];
    this.credentials = [];
    this.inputItems = [];
    this.nodeOutputs = {};
    this.problems = [];
    this.readonly = false;
    this.theme = 'light';
    if (!customElements.get('weft-expression-input'))
      customElements.define('weft-expression-input', WeftExpressionInput);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('inputItems')) this.#suggestions = jsonPaths(this.inputItems);
    if (changed.has('node') && changed.get('node')?.id !== this.node?.id) this.#expressionPaths = new Set();
  }

  #emit(node: WorkflowNode, field: string): void {
    this.node = node;
    this.dispatchEvent(
      new CustomEvent<NodeChangeDetail>('node-change', { detail: { node, field }, bubbles: true, composed: true }),
    );
  }

  #setParam(path: (string | number)[], value: unknown): void {
    const node = this.node;
    if (!node || this.readonly) return;
    const parameters = setIn(node.parameters, path, value) as Record<string, unknown>;
    this.#emit({ ...node, parameters }, `parameters.${path.join('.')}`);
  }

  protected override render() {
    const node = this.node;
    if (!node) return html`<p class="empty" role="status">Select a node to edit its parameters.</p>`;
    const type = this.nodeTypes.find((t) => t.type === node.type);
    const problems = this.problems.filter((p) => p.nodeId === node.id);
    const ro = this.readonly;
    return html`<section part="inspector" aria-label=${`Parameters of ${node.name}`}>
      <h2>${node.name}</h2>
      <p class="type">${type?.displayName ?? node.type}${type ? html` — ${type.description}` : nothing}</p>
      ${
        problems.length
          ? html`<div role="alert"><ul class="problems">${problems.map((p) => html`<li>${p.message}</li>`)}</ul></div>`
          : nothing
      }
      <div class="field">
        <div class="field-head"><label for=${`${this.#prefix}-name`}>Name</label></div>
        <input id=${`${this.#prefix}-name`} type="text" .value=${node.name} ?readonly=${ro}
          @change=${(e: Event) => {
            const name = (e.target as HTMLInputElement).value.trim();
            if (name && name !== node.name) this.#emit({ ...node, name }, 'name');
          }} />
      </div>
      <div class="field">
        <div class="field-head">
          <label for=${`${this.#prefix}-disabled`}>Disabled</label>
          <input id=${`${this.#prefix}-disabled`} type="checkbox" role="switch" .checked=${!!node.disabled} ?disabled=${ro}
            @change=${(e: Event) => {
              const { disabled: _d, ...rest } = node;
              this.#emit((e.target as HTMLInputElement).checked ? { ...rest, disabled: true } : rest, 'disabled');
            }} />
        </div>
      </div>
      ${
        type
          ? renderFields(type.parameters, node.parameters, [], {
              idPrefix: this.#prefix,
              readonly: ro,
              credentials: this.credentials,
              suggestions: this.#suggestions,
              items: this.inputItems,
              nodes: this.nodeOutputs,
              expressionPaths: this.#expressionPaths,
              onChange: (path, value) => this.#setParam(path, value),
            })
          : html`<p class="empty">Unknown node type ${node.type}: its parameters cannot be edited here.</p>`
      }
      ${
        type?.credentials
          ? Object.entries(type.credentials).map(
              ([slot, c]) => html`<div class="field">
                <div class="field-head"><label for=${`${this.#prefix}-cred-${slot}`}>Credential: ${slot}</label></div>
                <select id=${`${this.#prefix}-cred-${slot}`} ?disabled=${ro}
                  @change=${(e: Event) => {
                    const id = (e.target as HTMLSelectElement).value;
                    const credentials = { ...(node.credentials ?? {}) };
                    if (id) credentials[slot] = id;
                    else delete credentials[slot];
                    this.#emit({ ...node, credentials }, `credentials.${slot}`);
                  }}>
                  <option value="">${c.required ? 'Choose (required)…' : 'None'}</option>
                  ${this.credentials
                    .filter((o) => c.types.includes(o.type))
                    .map(
                      (o) =>
                        html`<option value=${o.id} ?selected=${node.credentials?.[slot] === o.id}>${o.name}</option>`,
                    )}
                </select>
              </div>`,
            )
          : nothing
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'weft-inspector': WeftInspector;
  }
  interface HTMLElementEventMap {
    'node-change': CustomEvent<NodeChangeDetail>;
  }
}
