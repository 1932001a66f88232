import { css } from 'lit';

/**
 * Styles for the parts of a node that depend on the zoom and on its connections: the type under
 * the name, the "+" of each output and, below `COMPACT_ZOOM` (the `compact` class on the
 * viewport), larger names, icons, port labels, badges and item counts, so a workflow zoomed to
 * fit stays readable. Part of `<weft-canvas>`'s styles.
 */
export const nodeDetailStyles = css`
  .node-sub {
    position: absolute;
    left: 10px;
    max-width: calc(100% - 70px);
    transform: translateY(-50%);
    font-size: 11px;
    line-height: 14px;
    color: var(--weft-muted);
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
    pointer-events: none;
  }
  /* Zoomed out (fit view of a larger workflow): bigger names, icons, labels and badges. */
  .compact .node-name {
    font-size: 17px;
  }
  .compact .node-icon,
  .compact .node-icon img,
  .compact .node-icon svg {
    width: 28px;
    height: 28px;
  }
  .compact .node-sub {
    display: none;
  }
  .compact .port-label {
    font-size: 15px;
    line-height: 18px;
  }
  .compact .badge {
    top: -14px;
    font-size: 16px;
    line-height: 22px;
  }
  .compact svg.labels text {
    font-size: 17px;
  }
  .port-add {
    position: absolute;
    width: 18px;
    height: 18px;
    padding: 0;
    border: 1px solid var(--weft-edge);
    border-radius: 5px;
    background: var(--weft-surface);
    color: var(--weft-muted);
    font: 600 14px/16px var(--weft-font, sans-serif);
    cursor: pointer;
  }
  .port-add:hover {
    background: var(--weft-accent);
    border-color: var(--weft-accent);
    color: var(--weft-accent-fg);
  }
  .port-add.connected {
    opacity: 0;
  }
  .weft-flow__node:hover .port-add.connected,
  .weft-flow__node.selected .port-add.connected {
    opacity: 1;
  }
  /* Zoomed far out: boxes with a large icon and name, status as a thick border. */
  .lod-label {
    display: flex;
    align-items: center;
    gap: 10px;
    height: 100%;
    padding: 0 12px;
    overflow: hidden;
  }
  .lod .node-icon,
  .lod .node-icon img,
  .lod .node-icon svg {
    width: 36px;
    height: 36px;
  }
  .lod .node-name {
    font-size: 22px;
  }
  .weft-flow__node.lod[class*='status-'] {
    border-width: 4px;
  }
`;
