import { html, type TemplateResult } from 'lit';
import { errorBox } from '../app/format.js';
import type { DebugController } from './debug-controller.js';

/**
 * The editor's debug toolbar while a session is open or just ended: its status line (a live
 * region, so screen readers hear each step), Step / Continue / Stop, and Close once it ended.
 *
 * @example
 * ```ts
 * html`${renderDebugBar(this.debug)}`
 * ```
 */
export function renderDebugBar(d: DebugController): TemplateResult | string {
  if (!d.session && !d.error) return '';
  const ended = d.status?.ended ?? false;
  return html`<div class="debug-bar" role="toolbar" aria-label="Debugger" data-status=${d.session?.status ?? 'error'}>
    <span class="debug-status" role="status">${d.busy ? 'Working…' : (d.status?.text ?? '')}</span>
    ${errorBox(d.error)}
    <span class="spacer"></span>
    ${
      d.open
        ? html`<button class="primary" ?disabled=${!d.canAdvance} @click=${() => d.step()} title="Run the next node">Step</button>
            <button ?disabled=${!d.canAdvance} @click=${() => d.continue()} title="Run to the end or the next breakpoint">Continue</button>
            <button class="danger" ?disabled=${d.busy} @click=${() => d.stop()}>Stop</button>`
        : ''
    }
    ${ended || !d.session ? html`<button @click=${() => d.dismiss()}>Close</button>` : ''}
  </div>`;
}
