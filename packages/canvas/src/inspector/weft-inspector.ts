import type { Item, OptionChoice, WorkflowNode } from '@weft/engine';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { jsonPaths, type PathSuggestion } from '../expressions/json-paths.js';
import { scopeCompletions } from '../expressions/scope-completions.js';
import type { NodeCatalogueEntry } from '../model/node-catalogue.js';
import type { WorkflowProblem } from '../model/problems-by-node.js';
import { themeStyles } from '../theme/theme-styles.js';
import { inspectorStyles } from './inspector-styles.js';
import { CREATE_CREDENTIAL, type CredentialOption, renderFields, setIn } from './parameter-form.js';
import { renderWebhookUrls } from './render-webhook-urls.js';
import { WeftExpressionInput } from './weft-expression-input.js';
import { WeftOptionsSelect } from './weft-options-select.js';

/** Detail of `node-change`. */
export interface NodeChangeDetail {
  node: WorkflowNode;
  /** Which field changed (`parameters.url`, `name`); edits of one field can merge into one undo step. */
  field: string;
}

/** What a dynamic dropdown asks its host for (`inspector.loadOptions`). */
export interface OptionsRequest {
  nodeType: string;
  loader: string;
  /** The values next to the dropdown. */
  parameters: Record<string, unknown>;
  /** The credential chosen for the node's `auth` slot, if any. */
  credentialId?: string;
  search: string;
}

/** Detail of `credential-create`: call `assign` with the credential once it exists. */
export interface CredentialCreateDetail {
  /** Credential types the picker accepts. */
  types: readonly string[];
  assign(credential: CredentialOption): void;
}

let counter = 0;

/**
 * `<weft-inspector>`: the form for one node, generated from its type's parameter specs, with
 * the node's name and settings, a credential picker, and expression fields that autocomplete
 * `$json` paths from `inputItems` (the node's input in the last run) and preview their value.
 * Every edit fires `node-change` with the whole updated node; pass it to `canvas.updateNode()`.
 * Dynamic dropdowns load through `loadOptions` (e.g. a host's `node-types/options` route); with
 * `credential-creation` set, credential pickers offer "Create new credential…", which fires
 * `credential-create`. Webhook triggers show their URL under `webhookBaseUrl`.
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
    loadOptions: { attribute: false },
    webhookBaseUrl: { attribute: 'webhook-base-url' },
    credentialCreation: { type: Boolean, attribute: 'credential-creation' },
    readonly: { type: Boolean, reflect: true },
    theme: { reflect: true },
  };

  static override styles = [themeStyles, inspectorStyles];

  declare node: WorkflowNode | null;
  declare nodeTypes: NodeCatalogueEntry[];
  declare credentials: CredentialOption[];
  declare inputItems: Item[];
  declare nodeOutputs: Record<string, Item[]>;
  declare problems: WorkflowProblem[];
  declare loadOptions: ((request: OptionsRequest) => Promise<OptionChoice[]>) | null;
  declare webhookBaseUrl: string | null;
  declare credentialCreation: boolean;
  declare readonly: boolean;
  declare theme: 'light' | 'dark';
  readonly #prefix = `insp-${++counter}`;
  #suggestions: PathSuggestion[] = [];
  #expressionPaths = new Set<string>();
  #focusExpression: string | null = null;

  constructor() {
    super();
    this.node = null;
    this.nodeTypes = [];
    this.credentials = [];
    this.inputItems = [];
    this.nodeOutputs = {};
    this.problems = [];
    this.loadOptions = null;
    this.webhookBaseUrl = null;
    this.credentialCreation = false;
    this.readonly = false;
    this.theme = 'light';
    if (!customElements.get('weft-expression-input'))
      customElements.define('weft-expression-input', WeftExpressionInput);
    if (!customElements.get('weft-options-select')) customElements.define('weft-options-select', WeftOptionsSelect);
  }

  protected override async updated(): Promise<void> {
    const key = this.#focusExpression;
    if (!key) return;
    this.#focusExpression = null;
    const el = this.renderRoot.querySelector<WeftExpressionInput>(
      `weft-expression-input[data-path="${CSS.escape(key)}"]`,
    );
    await el?.updateComplete;
    el?.focusAtEnd();
  }

  #createCredential(types: readonly string[], set: (id: string) => void): void {
    const assign = (c: CredentialOption) => {
      if (!this.credentials.some((o) => o.id === c.id)) this.credentials = [...this.credentials, c];
      set(c.id);
    };
    this.dispatchEvent(
      new CustomEvent<CredentialCreateDetail>('credential-create', {
        detail: { types, assign },
        bubbles: true,
        composed: true,
      }),
    );
  }

  #optionsLoader(node: WorkflowNode) {
    const load = this.loadOptions;
    if (!load) return undefined;
    // Without its required credential a connector cannot list anything: say so rather than fail the call.
    const needs = this.nodeTypes.find((t) => t.type === node.type)?.credentials?.auth?.required;
    if (needs && !node.credentials?.auth)
      return () => () => Promise.reject(new Error('Choose a credential to load these options.'));
    return (loader: string, parameters: Record<string, unknown>) => (search: string) =>
      load({
        nodeType: node.type,
        loader,
        parameters,
        search,
        ...(node.credentials?.auth ? { credentialId: node.credentials.auth } : {}),
      });
  }

  #setCredential(node: WorkflowNode, slot: string, id: string): void {
    const credentials = { ...(node.credentials ?? {}) };
    if (id) credentials[slot] = id;
    else delete credentials[slot];
    this.#emit({ ...node, credentials }, `credentials.${slot}`);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('inputItems') || changed.has('nodeOutputs'))
      this.#suggestions = scopeCompletions(jsonPaths(this.inputItems), this.nodeOutputs);
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
    const slots = Object.keys(type?.credentials ?? {});
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
        type?.credentials
          ? Object.entries(type.credentials).map(
              ([slot, c]) => html`<div class="field">
                <div class="field-head"><label for=${`${this.#prefix}-cred-${slot}`}>${slots.length > 1 ? `Credential: ${slot}` : 'Credential'}${c.required ? html`<span aria-hidden="true"> *</span>` : nothing}</label></div>
                <select id=${`${this.#prefix}-cred-${slot}`} ?disabled=${ro}
                  @change=${(e: Event) => {
                    const el = e.target as HTMLSelectElement;
                    if (el.value !== CREATE_CREDENTIAL) return this.#setCredential(node, slot, el.value);
                    el.value = node.credentials?.[slot] ?? '';
                    this.#createCredential(c.types, (id) => this.#setCredential(this.node ?? node, slot, id));
                  }}>
                  <option value="">${c.required ? 'Choose (required)…' : 'None'}</option>
                  ${this.credentials
                    .filter((o) => c.types.includes(o.type))
                    .map(
                      (o) =>
                        html`<option value=${o.id} ?selected=${node.credentials?.[slot] === o.id}>${o.name}</option>`,
                    )}
                  ${this.credentialCreation ? html`<option value=${CREATE_CREDENTIAL}>+ Create new credential…</option>` : nothing}
                </select>
              </div>`,
            )
          : nothing
      }
      ${type?.triggerKind === 'webhook' && this.webhookBaseUrl ? renderWebhookUrls(this.webhookBaseUrl, node.parameters) : nothing}
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
              focusExpression: (key) => {
                this.#focusExpression = key;
              },
              optionsLoader: this.#optionsLoader(node),
              optionsKey: node.credentials?.auth ?? '',
              onCreateCredential: this.credentialCreation
                ? (types, path) => this.#createCredential(types, (id) => this.#setParam(path, id))
                : undefined,
            })
          : html`<p class="empty">Unknown node type ${node.type}: its parameters cannot be edited here.</p>`
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
    'credential-create': CustomEvent<CredentialCreateDetail>;
  }
}
