import type { Item, WorkflowNode } from '@weft/engine';
import { html, nothing, type TemplateResult } from 'lit';
import { LightElement } from '../app/light-element.js';
import { itemsText, parseItems } from './test-data.js';
import type { TestDataController } from './test-data-controller.js';

/**
 * `<weft-items-dialog>`: edits node data as JSON (an object, or an array of objects), checking it
 * as the user types — the error names the line and column, and Save waits for valid JSON.
 * `open(title, items, save, removable)`; with `removable`, "Remove" calls `save(undefined)`.
 *
 * @example
 * ```ts
 * dialog.open('Trigger payload', data.payload, (items) => data.setPayload(items));
 * ```
 */
export class ItemsDialog extends LightElement {
  static override properties = { heading: { state: true }, text: { state: true }, removable: { state: true } };
  declare heading: string;
  declare text: string;
  declare removable: boolean;
  #save: ((items: Item[] | undefined) => void) | undefined;

  constructor() {
    super();
    this.heading = '';
    this.text = '';
    this.removable = false;
  }

  async open(
    heading: string,
    items: Item[] | undefined,
    save: (items: Item[] | undefined) => void,
    removable = items !== undefined,
  ): Promise<void> {
    this.heading = heading;
    this.text = items ? itemsText(items) : '{\n  \n}';
    this.removable = removable;
    this.#save = save;
    await this.updateComplete;
    this.querySelector('dialog')?.showModal();
    this.querySelector('textarea')?.focus();
  }

  #close(items?: Item[] | undefined, remove = false): void {
    if (items || remove) this.#save?.(items);
    this.querySelector('dialog')?.close();
  }

  override render() {
    const parsed = parseItems(this.text);
    return html`<dialog class="items-dialog" aria-labelledby="items-dialog-title">
      <header class="dialog-head"><h2 id="items-dialog-title">${this.heading}</h2>
        <button type="button" aria-label="Close" @click=${() => this.#close()}>✕</button></header>
      <label for="items-json">JSON: one object, or an array of objects (one item each)</label>
      <textarea id="items-json" spellcheck="false" rows="12" .value=${this.text} aria-invalid=${parsed.ok ? 'false' : 'true'}
        aria-describedby="items-json-status" @input=${(e: Event) => {
          this.text = (e.target as HTMLTextAreaElement).value;
        }}></textarea>
      <p id="items-json-status" class=${parsed.ok ? 'muted small' : 'error small'} role=${parsed.ok ? 'status' : 'alert'}>
        ${parsed.ok ? `${parsed.items.length} item${parsed.items.length === 1 ? '' : 's'}` : parsed.error}</p>
      <div class="actions">
        <button class="primary" ?disabled=${!parsed.ok} @click=${() => parsed.ok && this.#close(parsed.items)}>Save</button>
        ${this.removable ? html`<button class="danger" @click=${() => this.#close(undefined, true)}>Remove</button>` : nothing}
        <button @click=${() => this.#close()}>Cancel</button>
      </div>
    </dialog>`;
  }
}
customElements.define('weft-items-dialog', ItemsDialog);

/**
 * The selected node's data tools above the inspector: pin its last output, edit or remove its
 * pin, Execute step, and on webhook triggers "Listen for test event" with the test URL while it
 * listens.
 *
 * @example
 * ```ts
 * html`${renderTestDataTools(this.data, node, dialog, { locked, isWebhook })}`
 * ```
 */
export function renderTestDataTools(
  d: TestDataController,
  node: WorkflowNode,
  dialog: () => ItemsDialog | null,
  o: { locked: boolean; isWebhook: boolean },
): TemplateResult {
  const pinned = d.pins[node.name];
  const last = d.lastOutput(node);
  const listening = d.listener;
  const edit = () =>
    void dialog()?.open(
      `Pinned output of ${node.name}`,
      pinned ?? last,
      (items) => (items ? d.pin(node, items) : d.unpin(node)),
      pinned !== undefined,
    );
  return html`${
    pinned
      ? html`<span class="pin-state" title="Test, Debug and Execute step use this instead of running the node">📌 Pinned: ${pinned.length} item${pinned.length === 1 ? '' : 's'}</span>
          <button @click=${edit}>Edit pin</button><button @click=${() => d.unpin(node)}>Unpin</button>`
      : html`<button ?disabled=${!last} title=${last ? 'Keep the last run’s output: the node is not run while pinned' : 'Run first, or pin data you type'}
            @click=${() => last && d.pin(node, last)}>Pin output</button>
          <button @click=${edit}>Pin data…</button>`
  }
    <button ?disabled=${o.locked || d.busy} @click=${() => d.executeStep(node)}
      title="Run the workflow up to this node, with pinned and previous data upstream">${d.busy ? 'Running…' : 'Execute step'}</button>
    ${
      o.isWebhook
        ? listening
          ? html`<div class="listening" role="status">Listening for a ${listening.method} request to
              <code>${listening.testUrl}</code>
              <button @click=${() => navigator.clipboard?.writeText(listening.testUrl)}>Copy</button>
              <button @click=${() => d.stopListening()}>Stop</button></div>`
          : html`<button class="primary" ?disabled=${o.locked} @click=${() => d.listen(node)}
              title="Wait for one request at the test URL, run the workflow with it and pin it">Listen for test event</button>`
        : nothing
    }`;
}
