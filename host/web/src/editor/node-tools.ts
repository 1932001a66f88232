import type { WorkflowNode } from '@weft/engine';
import { html, type TemplateResult } from 'lit';
import type { DebugController } from './debug-controller.js';
import type { TestDataController } from './test-data-controller.js';
import { type ItemsDialog, renderTestDataTools } from './test-data-tools.js';

/**
 * The tools above the inspector for the selected node: its breakpoint toggle and its test data
 * (pin, Execute step, Listen for test event on a webhook trigger).
 *
 * @example
 * ```ts
 * html`${renderNodeTools(node, this.debug, this.data, () => this.querySelector('weft-items-dialog'), isWebhook)}`
 * ```
 */
export function renderNodeTools(
  node: WorkflowNode | undefined,
  debug: DebugController,
  data: TestDataController,
  dialog: () => ItemsDialog | null,
  isWebhook: boolean,
): TemplateResult | string {
  if (!node) return '';
  const on = debug.breakpoints.has(node.id);
  return html`<div class="node-tools">
    <button class="breakpoint-toggle" aria-pressed=${on ? 'true' : 'false'} @click=${() => debug.toggleBreakpoint(node.id)}
      title="Continue pauses before this node">${on ? 'Breakpoint on' : 'Breakpoint off'}</button>
    ${renderTestDataTools(data, node, dialog, { locked: debug.open, isWebhook })}
  </div>`;
}
