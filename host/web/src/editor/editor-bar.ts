import type { StoredWorkflow } from '@weft/client';
import type { Item, Workflow } from '@weft/engine';
import { html, type TemplateResult } from 'lit';
import { statusPill } from '../app/format.js';
import type { CollabSession } from './collab-session.js';

/** What the editor's top bar shows. */
export interface EditorBarState {
  doc: Workflow;
  stored: StoredWorkflow | undefined;
  versions: readonly number[];
  collab: CollabSession | undefined;
  dirty: boolean;
  runStatus: string | undefined;
  /** Narrow screens: whether the inspector sheet is open. */
  inspectorOpen: boolean;
  busy: boolean;
  /** A debug session is open: the document is locked. */
  locked: boolean;
  debugBusy: boolean;
  /** The trigger payload for Test and Debug, if one is set. */
  payload: Item[] | undefined;
}

/** What the editor's top bar asks the editor to do. */
export interface EditorBarActions {
  /**
   * Sets the name or tags on the editor's document as it is when the event fires: the bar's
   * `doc` is the one of its last render, which canvas edits since then have replaced.
   */
  patch(fields: Pick<Partial<Workflow>, 'name' | 'tags'>): void;
  openVersion(version: number): void;
  toggleActive(): void;
  toggleInspector(): void;
  save(): void;
  editPayload(): void;
  test(): void;
  debug(): void;
  run(): void;
}

/**
 * The editor's top bar: the workflow's name and tags, its versions, Active, who else has it open,
 * its saved state and last run status, and Save / Payload / Test / Debug / Run.
 *
 * @example
 * ```ts
 * html`${renderEditorBar({ doc, stored, versions, ... }, { save: () => this.save(), ... })}`
 * ```
 */
export function renderEditorBar(s: EditorBarState, a: EditorBarActions): TemplateResult {
  const name = s.doc.name;
  return html`<header class="editor-bar">
    <input class="wf-name" aria-label="Workflow name" .value=${name}
      @change=${(e: Event) => a.patch({ name: (e.target as HTMLInputElement).value || name })} />
    <input class="wf-tags" aria-label="Tags" placeholder="tags, comma separated" .value=${(s.doc.tags ?? []).join(', ')}
      @change=${(e: Event) => {
        const tags = (e.target as HTMLInputElement).value
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean);
        a.patch({ tags });
      }} />
    ${
      s.versions.length > 1
        ? html`<select aria-label="Version" @change=${(e: Event) => a.openVersion(Number((e.target as HTMLSelectElement).value))}>
            ${s.versions.map((v) => html`<option value=${v} ?selected=${v === s.stored?.version}>v${v}</option>`)}
          </select>`
        : ''
    }
    ${
      s.stored
        ? html`<button aria-pressed=${s.stored.active ? 'true' : 'false'} @click=${() => a.toggleActive()}>
            ${s.stored.active ? 'Active' : 'Inactive'}</button>`
        : ''
    }
    <weft-presence-avatars .session=${s.collab}></weft-presence-avatars>
    <span class="meta">${s.stored ? `v${s.stored.version}` : 'unsaved'}${s.dirty ? ' • changed' : ''}</span>
    ${s.runStatus ? html`<span class="run-status" data-status=${s.runStatus}>${statusPill(s.runStatus)}</span>` : ''}
    <span class="spacer"></span>
    <button class="only-narrow" aria-pressed=${s.inspectorOpen ? 'true' : 'false'} @click=${() => a.toggleInspector()}>Details</button>
    <button @click=${() => a.save()} ?disabled=${s.busy}>Save</button>
    <button class=${s.payload ? 'has-payload' : ''} @click=${() => a.editPayload()}
      title="The trigger's input items when Test or Debug runs">${s.payload ? 'Payload ●' : 'Payload…'}</button>
    <button @click=${() => a.test()} ?disabled=${s.busy || s.locked} title="Run the unsaved document">Test</button>
    <button @click=${() => a.debug()} ?disabled=${s.busy || s.debugBusy} title="Run one node at a time">Debug</button>
    <button class="primary" @click=${() => a.run()} ?disabled=${s.busy || s.locked}>Run</button>
  </header>`;
}
