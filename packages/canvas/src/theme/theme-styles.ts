import { css } from 'lit';

/**
 * The design tokens every Weft element reads. Override any of them on the element or an
 * ancestor (`weft-canvas { --weft-accent: #7c3aed; }`); `theme="dark"` switches the defaults.
 *
 * @example
 * ```ts
 * static styles = [themeStyles, css`:host { color: var(--weft-fg); }`];
 * ```
 */
export const themeStyles = css`
  :host {
    --weft-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --weft-bg: #f7f7f9;
    --weft-surface: #ffffff;
    --weft-surface-2: #f0f1f4;
    --weft-fg: #1d2433;
    --weft-muted: #5f6b7a;
    --weft-border: #c9cfd8;
    --weft-grid: #d9dde3;
    --weft-accent: #2563eb;
    --weft-accent-fg: #ffffff;
    --weft-focus: #f59e0b;
    --weft-edge: #8a94a6;
    --weft-success: #15803d;
    --weft-danger: #b91c1c;
    --weft-warning: #b45309;
    --weft-running: #2563eb;
    --weft-note: #fef3c7;
    --weft-note-fg: #3f3a1d;
    --weft-badge-fg: #ffffff;
    --weft-radius: 8px;
    --weft-shadow: 0 1px 3px rgb(0 0 0 / 0.12);
    font-family: var(--weft-font);
    color: var(--weft-fg);
    color-scheme: light;
  }
  :host([theme='dark']) {
    --weft-bg: #12151c;
    --weft-surface: #1c212b;
    --weft-surface-2: #262c38;
    --weft-fg: #e6e9ef;
    --weft-muted: #9aa4b5;
    --weft-border: #3a4252;
    --weft-grid: #2a303c;
    --weft-accent: #60a5fa;
    --weft-accent-fg: #0b1220;
    --weft-edge: #7b869a;
    --weft-success: #4ade80;
    --weft-danger: #f87171;
    --weft-warning: #fbbf24;
    --weft-running: #60a5fa;
    --weft-note: #4a4320;
    --weft-note-fg: #f5ecc8;
    --weft-badge-fg: #0b1220;
    --weft-shadow: 0 1px 3px rgb(0 0 0 / 0.5);
    color-scheme: dark;
  }
  :focus-visible {
    outline: 2px solid var(--weft-focus);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    color: inherit;
    background: var(--weft-surface);
    border: 1px solid var(--weft-border);
    border-radius: 6px;
    padding: 4px 8px;
    cursor: pointer;
  }
  /* A pressed or selected button keeps its own colours: hover gave it a light background under light text. */
  button:hover:not([aria-pressed='true'], [aria-selected='true']) {
    background: var(--weft-surface-2);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
