import type { CredentialCreateDetail, ProblemsChangeDetail, WeftInspector } from '@weft/canvas';
import type { StoredWorkflow } from '@weft/client';
import type { Workflow, WorkflowNode } from '@weft/engine';
import { html, type TemplateResult } from 'lit';
import type { AiAcceptDetail } from './ai-panel.js';
import type { CredentialDialog } from './credential-dialog.js';
import type { DebugController } from './debug-controller.js';
import type { CredentialType } from './node-catalog.js';
import { renderNodeTools } from './node-tools.js';
import type { TestDataController } from './test-data-controller.js';
import type { ItemsDialog } from './test-data-tools.js';

/** What the editor's body (palette, canvas, inspector pane) shows. */
export interface EditorBodyState {
  doc: Workflow;
  /** The node selected alone on the canvas, whose tools and inspector show. */
  node: WorkflowNode | undefined;
  stored: StoredWorkflow | undefined;
  lastRunId: string | undefined;
  /** The canvas and inspector take no edits (a debug session or a read-only co-editing seat). */
  locked: boolean;
  readonly: boolean;
  pausedAt: string | null;
  debug: DebugController;
  data: TestDataController;
  /** The selected node is a webhook trigger (it gets "Listen for test event"). */
  isWebhook: boolean;
  /** The credential types the inline "create new" dialog offers from. */
  credentialTypes: readonly CredentialType[];
}

/** What the editor's body asks the editor to do. */
export interface EditorBodyActions {
  addNode(type: string): void;
  change(e: CustomEvent<{ workflow: Workflow }>): void;
  select(e: CustomEvent<{ nodeIds: string[] }>): void;
  run(): void;
  aiAccept(detail: AiAcceptDetail): void;
  updateNode(node: WorkflowNode, field: string | undefined): void;
  itemsDialog(): ItemsDialog | null;
  inspector(): WeftInspector | null;
}

/**
 * The editor's body under its top bar: the node palette, the canvas, and the pane with the AI
 * panel, the selected node's tools, the inspector, the execution view and the tests panel; then
 * the credential and items dialogs.
 *
 * @example
 * ```ts
 * html`${renderEditorBar(barState, barActions)}${renderEditorBody(bodyState, bodyActions)}`
 * ```
 */
export function renderEditorBody(s: EditorBodyState, on: EditorBodyActions): TemplateResult {
  const createCredential = (e: CustomEvent<CredentialCreateDetail>) => {
    const types = s.credentialTypes.filter((t) => e.detail.types.includes(t.type));
    const dialog = (e.currentTarget as Element)
      .closest('.editor')
      ?.querySelector<CredentialDialog>('weft-credential-dialog');
    void dialog?.open(types, e.detail.assign);
  };
  return html`<div class="editor-body">
      <aside class="palette-pane"><weft-node-palette
        @node-type-select=${(e: CustomEvent<{ type: string }>) => on.addNode(e.detail.type)}></weft-node-palette></aside>
      <weft-canvas class="canvas" ?readonly=${s.locked || s.readonly} @palette-request=${paletteRequest}
        .breakpoints=${[...s.debug.breakpoints]} .pausedAt=${s.pausedAt}
        @workflow-change=${on.change} @selection-change=${on.select}
        @problems-change=${(e: CustomEvent<ProblemsChangeDetail>) => {
          const inspector = on.inspector();
          if (inspector) inspector.problems = e.detail.problems;
        }}
        @run-request=${() => !s.locked && on.run()}></weft-canvas>
      <aside class="inspector-pane">
        <weft-ai-panel .workflowId=${s.stored?.id} .doc=${s.doc}
          @ai-accept=${(e: CustomEvent<AiAcceptDetail>) => on.aiAccept(e.detail)}></weft-ai-panel>
        ${renderNodeTools(s.node, s.debug, s.data, on.itemsDialog, s.isWebhook)}
        <weft-inspector ?readonly=${s.locked} credential-creation @credential-create=${createCredential}
          @node-change=${(e: CustomEvent) => on.updateNode(e.detail.node, e.detail.field)}></weft-inspector>
        <weft-execution-view></weft-execution-view>
        <weft-tests-panel .workflowId=${s.stored?.id} .executionId=${s.lastRunId}></weft-tests-panel>
      </aside>
    </div>
    <weft-credential-dialog></weft-credential-dialog>
    <weft-items-dialog></weft-items-dialog>`;
}

/** + Node and Tab on the canvas: the palette beside it, when it shows, instead of a second one. */
function paletteRequest(e: Event): void {
  const body = (e.currentTarget as Element).closest('.editor-body');
  const pane = body?.querySelector<HTMLElement>('.palette-pane');
  if (!pane || pane.offsetParent === null) return;
  e.preventDefault();
  body?.querySelector('weft-node-palette')?.focus();
}
