import { css } from 'lit';

/** Styles of `<weft-inspector>`. */
export const inspectorStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    padding: 12px;
    background: var(--weft-surface);
    border-left: 1px solid var(--weft-border);
    overflow: auto;
    font-size: 13px;
  }
  h2 {
    margin: 0 0 2px;
    font-size: 15px;
  }
  .type {
    color: var(--weft-muted);
    margin: 0 0 12px;
  }
  .field {
    margin: 0 0 12px;
  }
  .field-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    margin-bottom: 4px;
  }
  label {
    font-weight: 600;
  }
  small {
    display: block;
    margin-top: 2px;
    color: var(--weft-muted);
  }
  input[type='text'],
  input[type='number'],
  input[type='password'],
  input[type='datetime-local'],
  input:not([type]),
  select,
  textarea {
    box-sizing: border-box;
    width: 100%;
    padding: 6px 8px;
    font: inherit;
    color: inherit;
    background: var(--weft-bg);
    border: 1px solid var(--weft-border);
    border-radius: 6px;
  }
  button.mode {
    padding: 0 6px;
    font-size: 11px;
    font-style: italic;
  }
  button.mode[aria-pressed='true'] {
    background: var(--weft-accent);
    color: var(--weft-accent-fg);
  }
  fieldset {
    margin: 0 0 8px;
    padding: 8px;
    border: 1px solid var(--weft-border);
    border-radius: 6px;
  }
  .empty {
    color: var(--weft-muted);
  }
  .problems {
    margin: 0 0 12px;
    padding: 8px 8px 8px 24px;
    border-radius: 6px;
    background: color-mix(in srgb, var(--weft-warning) 15%, transparent);
  }
  .webhook-urls {
    margin: 0 0 12px;
    padding: 8px;
    border: 1px solid var(--weft-border);
    border-radius: 6px;
    background: var(--weft-surface-2);
  }
  .webhook-urls h3 {
    margin: 0 0 6px;
    font-size: 13px;
  }
  .url-row {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 2px 6px;
    align-items: center;
  }
  .url-label {
    grid-column: 1 / -1;
    font-weight: 600;
    font-size: 12px;
  }
  .url {
    overflow-wrap: anywhere;
    font-size: 12px;
    padding: 4px 6px;
    border-radius: 4px;
    background: var(--weft-bg);
    user-select: all;
  }
`;
