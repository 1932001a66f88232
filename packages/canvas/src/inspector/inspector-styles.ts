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
`;
