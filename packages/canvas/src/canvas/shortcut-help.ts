import { css, html, type TemplateResult } from 'lit';

/** One line of the keyboard help: the keys and what they do. */
export interface ShortcutHelp {
  keys: string[];
  does: string;
}

/**
 * The canvas's keyboard shortcuts as the help overlay (`?`) lists them, grouped. The keys are the
 * ones {@link shortcutFor} and the canvas's keyboard handler answer to.
 *
 * @example
 * ```ts
 * SHORTCUT_HELP.Editing.find((s) => s.does === 'Undo')?.keys; // ['Ctrl/⌘ Z']
 * ```
 */
export const SHORTCUT_HELP: Record<string, ShortcutHelp[]> = {
  Building: [
    { keys: ['Tab', 'N'], does: 'Open the node palette (type to search, arrows, Enter)' },
    { keys: ['Double-click'], does: 'Open the palette where you clicked' },
    { keys: ['+ on an output'], does: 'Add the next node there, connected' },
    { keys: ['Drag a port to empty canvas'], does: 'Pick a node to place and connect there' },
    { keys: ['Enter on a port', 'Enter on another port'], does: 'Connect two ports' },
    { keys: ['Enter'], does: 'Open the focused node' },
    { keys: ['Ctrl/⌘ Enter'], does: 'Run the workflow' },
  ],
  Editing: [
    { keys: ['Space'], does: 'Toggle the focused node in the selection' },
    { keys: ['Shift drag'], does: 'Select with a rectangle' },
    { keys: ['Ctrl/⌘ A'], does: 'Select all' },
    { keys: ['Arrows', 'Shift Arrows'], does: 'Move the selection (5× with Shift)' },
    { keys: ['Delete', 'Backspace'], does: 'Delete the selection' },
    { keys: ['Ctrl/⌘ C', 'Ctrl/⌘ X', 'Ctrl/⌘ V'], does: 'Copy, cut, paste (as workflow JSON)' },
    { keys: ['Ctrl/⌘ D'], does: 'Duplicate' },
    { keys: ['Ctrl/⌘ Z'], does: 'Undo' },
    { keys: ['Ctrl/⌘ Shift Z', 'Ctrl/⌘ Y'], does: 'Redo' },
    { keys: ['Shift L'], does: 'Tidy: auto-layout' },
    { keys: ['Escape'], does: 'Clear the selection, close the palette or this help' },
  ],
  View: [
    { keys: ['[', ']'], does: 'Focus the previous / next node' },
    { keys: ['+', '−'], does: 'Zoom in / out' },
    { keys: ['1'], does: 'Fit the workflow into view' },
    { keys: ['Ctrl/⌘ 0'], does: 'Zoom to 100%' },
    { keys: ['Drag the background', 'Wheel'], does: 'Pan / zoom' },
    { keys: ['?'], does: 'Show or hide this help' },
  ],
};

/**
 * The help overlay: every shortcut in a dialog over the canvas, closed by its button, `?` or
 * Escape.
 *
 * @example
 * ```ts
 * html`${this.helpOpen ? renderShortcutHelp(() => (this.helpOpen = false)) : nothing}`;
 * ```
 */
export function renderShortcutHelp(onClose: () => void): TemplateResult {
  return html`<div
    class="shortcut-help nopan nowheel"
    part="help"
    role="dialog"
    aria-modal="false"
    aria-labelledby="shortcut-help-title"
  >
    <div class="help-head">
      <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
      <button type="button" class="help-close" aria-label="Close keyboard shortcuts" @click=${onClose}>×</button>
    </div>
    <div class="help-groups">
      ${Object.entries(SHORTCUT_HELP).map(
        ([group, rows]) => html`<section>
          <h3>${group}</h3>
          <dl>
            ${rows.map(
              (r) =>
                html`<dt>${r.keys.map((k, i) => html`${i ? html`<span class="or">or</span>` : ''}<kbd>${k}</kbd>`)}</dt>
                  <dd>${r.does}</dd>`,
            )}
          </dl>
        </section>`,
      )}
    </div>
  </div>`;
}

/** The same shortcuts as one sentence per line, for the pane's screen-reader description. */
export function shortcutHelpText(): string {
  return Object.values(SHORTCUT_HELP)
    .flat()
    .map((r) => `${r.keys.join(' or ')}: ${r.does}.`)
    .join(' ');
}

/** Styles of the help overlay (part of `<weft-canvas>`'s styles). */
export const shortcutHelpStyles = css`
  .shortcut-help {
    position: absolute;
    inset: 24px;
    max-width: 760px;
    margin: 0 auto;
    overflow: auto;
    padding: 12px 18px 16px;
    background: var(--weft-surface);
    color: var(--weft-fg);
    border: 1px solid var(--weft-border);
    border-radius: var(--weft-radius);
    box-shadow: var(--weft-shadow);
    z-index: 20;
    font-size: 13px;
  }
  .help-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
  }
  .shortcut-help h2 {
    font-size: 16px;
    margin: 4px 0 8px;
  }
  .shortcut-help h3 {
    font-size: 11px;
    text-transform: uppercase;
    letter-spacing: 0.05em;
    color: var(--weft-muted);
    margin: 8px 0 4px;
  }
  .help-groups {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(300px, 1fr));
    column-gap: 24px;
  }
  .shortcut-help dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 4px 12px;
    margin: 0;
  }
  .shortcut-help dt {
    white-space: nowrap;
  }
  .shortcut-help dd {
    margin: 0;
  }
  .shortcut-help kbd {
    display: inline-block;
    padding: 0 5px;
    border: 1px solid var(--weft-border);
    border-bottom-width: 2px;
    border-radius: 4px;
    background: var(--weft-surface-2);
    font: 12px ui-monospace, monospace;
  }
  .shortcut-help .or {
    margin: 0 4px;
    color: var(--weft-muted);
  }
  .help-close {
    width: 28px;
    height: 28px;
    padding: 0;
    font-size: 18px;
  }
`;
