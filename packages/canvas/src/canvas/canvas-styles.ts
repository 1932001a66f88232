import { css } from 'lit';

/** Styles of `<weft-canvas>`'s shadow root. */
export const canvasStyles = css`
  :host {
    display: block;
    position: relative;
    min-height: 300px;
    overflow: hidden;
    background: var(--weft-bg);
    contain: strict;
  }
  .weft-flow {
    position: absolute;
    inset: 0;
  }
  .weft-flow__pane {
    position: absolute;
    inset: 0;
    overflow: hidden;
    cursor: grab;
    touch-action: none;
    user-select: none;
  }
  .weft-flow__pane:focus-visible {
    outline-offset: -3px;
  }
  .weft-flow__pane > .grid {
    position: absolute;
    inset: -64px;
    background-image: radial-gradient(circle, var(--weft-grid) 1.2px, transparent 1.4px);
    background-size: 20px 20px;
    will-change: transform;
    pointer-events: none;
  }
  .weft-flow__viewport {
    position: absolute;
    left: 0;
    top: 0;
    transform-origin: 0 0;
    will-change: transform;
  }
  svg.edges {
    position: absolute;
    overflow: visible;
    left: 0;
    top: 0;
    width: 1px;
    height: 1px;
    pointer-events: none;
  }
  .edge path.line {
    fill: none;
    stroke: var(--weft-edge);
    stroke-width: 2;
  }
  .edge path.hit {
    fill: none;
    stroke: transparent;
    stroke-width: 14;
    pointer-events: stroke;
    cursor: pointer;
  }
  .edge.selected path.line,
  .edge:focus-visible path.line {
    stroke: var(--weft-accent);
    stroke-width: 3;
  }
  .edge:focus {
    outline: none;
  }
  .edge.done path.line {
    stroke: var(--weft-success);
  }
  svg.labels {
    pointer-events: none;
  }
  svg.labels text {
    font-size: 11px;
    fill: var(--weft-success);
    font-weight: 600;
    paint-order: stroke;
    stroke: var(--weft-bg);
    stroke-width: 4px;
  }
  .connection-line {
    fill: none;
    stroke: var(--weft-accent);
    stroke-width: 2;
    stroke-dasharray: 6 4;
  }
  .connection-line.invalid {
    stroke: var(--weft-danger);
  }
  .weft-flow__node {
    position: absolute;
    left: 0;
    top: 0;
    box-sizing: border-box;
    background: var(--weft-surface);
    border: 1px solid var(--weft-border);
    border-radius: var(--weft-radius);
    box-shadow: var(--weft-shadow);
    cursor: pointer;
    font-size: 13px;
  }
  .weft-flow__node.selected {
    border-color: var(--weft-accent);
    box-shadow: 0 0 0 2px var(--weft-accent);
  }
  .weft-flow__node:focus-visible {
    outline: 3px solid var(--weft-focus);
    outline-offset: 3px;
  }
  .weft-flow__node.disabled {
    opacity: 0.55;
  }
  .weft-flow__node.status-running {
    border-color: var(--weft-running);
    box-shadow: 0 0 0 2px var(--weft-running);
  }
  .weft-flow__node.status-succeeded {
    border-color: var(--weft-success);
    box-shadow: 0 0 0 2px var(--weft-success);
  }
  .weft-flow__node.status-failed {
    border-color: var(--weft-danger);
    box-shadow: 0 0 0 2px var(--weft-danger);
  }
  .weft-flow__node.paused {
    border-color: var(--weft-running);
    box-shadow: 0 0 0 3px var(--weft-running);
    border-style: dashed;
  }
  .breakpoint-dot {
    position: absolute;
    left: -7px;
    top: -7px;
    width: 12px;
    height: 12px;
    border-radius: 50%;
    background: var(--weft-danger);
    border: 2px solid var(--weft-surface);
  }
  .weft-flow__node.lod {
    box-shadow: none;
    border-radius: 0;
  }
  /* painted by the LOD layer (a canvas under the viewport); the element only takes pointer and focus */
  .weft-flow__node.lod.plain {
    background: none;
    border-color: transparent;
    box-shadow: none;
  }
  canvas.lod-layer {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    pointer-events: none;
    /* its own compositor layer: repainting it each frame uploads one texture instead of re-rasterizing the pane */
    will-change: transform;
  }
  .node-header {
    display: flex;
    align-items: center;
    gap: 8px;
    height: 38px;
    padding: 0 10px;
    border-bottom: 1px solid var(--weft-surface-2);
  }
  .node-icon {
    display: inline-grid;
    place-items: center;
    width: 22px;
    height: 22px;
    border-radius: 5px;
    background: var(--weft-surface-2);
    font-size: 11px;
    font-weight: 700;
    flex: none;
    overflow: hidden;
  }
  .node-icon img,
  .node-icon svg {
    display: block;
    width: 22px;
    height: 22px;
  }
  .node-name {
    font-weight: 600;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .port-label {
    position: absolute;
    font-size: 11px;
    color: var(--weft-muted);
    line-height: 14px;
    transform: translateY(-50%);
    pointer-events: none;
  }
  .port-label.in {
    left: 10px;
  }
  .port-label.out {
    right: 10px;
  }
  .weft-flow__handle {
    position: absolute;
    width: 12px;
    height: 12px;
    box-sizing: border-box;
    border-radius: 50%;
    background: var(--weft-surface);
    border: 2px solid var(--weft-edge);
    cursor: crosshair;
  }
  .weft-flow__handle:hover,
  .weft-flow__handle.pending {
    background: var(--weft-accent);
    border-color: var(--weft-accent);
  }
  .badge {
    position: absolute;
    top: -10px;
    padding: 1px 6px;
    border-radius: 9px;
    font-size: 11px;
    line-height: 16px;
    font-weight: 600;
    white-space: nowrap;
    color: var(--weft-badge-fg);
  }
  .badge.status {
    right: 6px;
  }
  .badge.status.succeeded {
    background: var(--weft-success);
  }
  .badge.status.failed {
    background: var(--weft-danger);
  }
  .badge.status.running {
    background: var(--weft-running);
  }
  .badge.status.skipped,
  .badge.status.waiting {
    background: var(--weft-muted);
  }
  .badge.paused {
    left: 50%;
    transform: translateX(-50%);
    background: var(--weft-running);
  }
  .badge.problems {
    left: 6px;
    background: var(--weft-warning);
  }
  .badge.pinned {
    top: auto;
    bottom: -10px;
    left: 6px;
    display: inline-flex;
    align-items: center;
    gap: 2px;
    background: var(--weft-accent);
  }
  .badge.pinned svg {
    width: 10px;
    height: 10px;
    fill: currentColor;
  }
  .note {
    position: absolute;
    left: 0;
    top: 0;
    box-sizing: border-box;
    padding: 10px;
    background: var(--weft-note);
    color: var(--weft-note-fg);
    border-radius: var(--weft-radius);
    border: 1px solid transparent;
    font-size: 13px;
    white-space: pre-wrap;
    overflow: hidden;
    cursor: move;
  }
  .note.selected {
    border-color: var(--weft-accent);
  }
  .note textarea {
    width: 100%;
    height: 100%;
    border: 0;
    background: transparent;
    color: inherit;
    font: inherit;
    resize: none;
  }
  .marquee {
    position: absolute;
    border: 1px dashed var(--weft-accent);
    background: color-mix(in srgb, var(--weft-accent) 12%, transparent);
    pointer-events: none;
  }
  .controls {
    position: absolute;
    left: 12px;
    bottom: 12px;
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .controls button {
    width: 32px;
    height: 32px;
    padding: 0;
    box-shadow: var(--weft-shadow);
  }
  .toolbar {
    position: absolute;
    top: 12px;
    right: 12px;
    display: flex;
    gap: 6px;
  }
  .minimap {
    position: absolute;
    right: 12px;
    bottom: 12px;
    background: var(--weft-surface);
    border: 1px solid var(--weft-border);
    border-radius: 6px;
    box-shadow: var(--weft-shadow);
  }
  .minimap path.node {
    fill: var(--weft-border);
  }
  .minimap path.mask {
    fill: color-mix(in srgb, var(--weft-bg) 70%, transparent);
    fill-rule: evenodd;
    stroke: var(--weft-accent);
    stroke-width: 1;
    vector-effect: non-scaling-stroke;
  }
  .palette-popover {
    position: absolute;
    z-index: 10;
    width: 300px;
    max-height: 60%;
    display: flex;
  }
  .status-pill {
    align-self: center;
    padding: 2px 8px;
    border-radius: 10px;
    font-size: 12px;
    background: var(--weft-surface-2);
    color: var(--weft-muted);
  }
  .empty {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    pointer-events: none;
    color: var(--weft-muted);
  }
  :host([readonly]) .weft-flow__handle {
    cursor: default;
  }
`;
