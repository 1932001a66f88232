import type { Transform } from '@xyflow/system';
import type { NodeRunState } from '../execution/execution-overlay.js';
import type { CanvasGraph, GraphEdge } from '../model/canvas-graph.js';

/** What the zoomed-out layer draws. */
export interface LodScene {
  graph: CanvasGraph;
  /** Edges to draw (those in or near the view). */
  edges: readonly GraphEdge[];
  /** Node ids to draw as boxes (notes, `note:` ids, stay DOM); empty while the nodes are DOM boxes with labels. */
  nodes: readonly string[];
  selectedEdges: ReadonlySet<string>;
  /** Items emitted per `nodeId:port` in the last run: such edges are drawn as ran. */
  portItems: ReadonlyMap<string, number>;
  runs: ReadonlyMap<string, NodeRunState>;
}

/** Theme colours the layer paints with, read from the canvas's custom properties. */
export interface LodColors {
  surface: string;
  border: string;
  edge: string;
  success: string;
  accent: string;
  danger: string;
  running: string;
}

const PROPS: Record<keyof LodColors, string> = {
  surface: '--weft-surface',
  border: '--weft-border',
  edge: '--weft-edge',
  success: '--weft-success',
  accent: '--weft-accent',
  danger: '--weft-danger',
  running: '--weft-running',
};

/** Reads the layer's colours from an element's computed custom properties. */
export function lodColors(el: Element): LodColors {
  const style = getComputedStyle(el);
  const out = {} as LodColors;
  for (const [key, prop] of Object.entries(PROPS) as [keyof LodColors, string][])
    out[key] = style.getPropertyValue(prop).trim() || '#888';
  return out;
}

/** The scene turned into paths in flow coordinates: built once per render, stroked in every frame. */
interface LodPaths {
  /** Edge paths by colour: not run, ran, selected. */
  edges: [Path2D, Path2D, Path2D];
  boxes: Path2D | null;
  /** Outlines of selected and run nodes, by colour. */
  marked: Map<string, Path2D>;
  colors: LodColors;
}

/**
 * Zoomed far out, the canvas paints edges (and, without labels, the node boxes) into one
 * `<canvas>` in pane pixels, redrawn once per frame. As DOM they were a thousand boxes and a
 * path of a thousand segments inside the zoomed layer, which the browser rasterized again at
 * every zoom step; a canvas is one texture. The scene's paths are built when it changes
 * (`setScene`, after a render), so a pan or zoom frame only strokes them under the new
 * transform: at 1,000 nodes that was 1-2 ms of JavaScript per frame (an object per edge end).
 * Only notes and a few nodes keep an element (see `VisibleSet.choose`).
 *
 * @example
 * ```ts
 * const layer = new LodLayer();
 * layer.setScene(scene, lodColors(host));
 * layer.draw(canvasEl, [x, y, k], width, height);
 * ```
 */
export class LodLayer {
  #paths: LodPaths | null = null;

  /** Builds the paths of `scene` (null: nothing to paint). */
  setScene(scene: LodScene | null, colors: LodColors): void {
    this.#paths = scene ? { edges: edgePaths(scene), ...nodePaths(scene, colors), colors } : null;
  }

  /** Paints the scene under `transform`; without one, clears the canvas. */
  draw(canvas: HTMLCanvasElement, transform: Transform, width: number, height: number): void {
    const dpr = globalThis.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(width * dpr));
    const h = Math.max(1, Math.round(height * dpr));
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const paths = this.#paths;
    if (!paths) return;
    const [x, y, k] = transform;
    ctx.setTransform(k * dpr, 0, 0, k * dpr, x * dpr, y * dpr);
    const { colors } = paths;
    ctx.lineWidth = 2;
    [colors.edge, colors.success, colors.accent].forEach((color, i) => {
      ctx.strokeStyle = color;
      ctx.stroke(paths.edges[i] as Path2D);
    });
    if (!paths.boxes) return;
    ctx.fillStyle = colors.surface;
    ctx.fill(paths.boxes);
    ctx.lineWidth = 1 / k; // one screen pixel
    ctx.strokeStyle = colors.border;
    ctx.stroke(paths.boxes);
    // status and selection stay visible far out: 3 screen pixels
    ctx.lineWidth = 3 / k;
    for (const [color, p] of paths.marked) {
      ctx.strokeStyle = color;
      ctx.stroke(p);
    }
  }
}

function edgePaths(scene: LodScene): [Path2D, Path2D, Path2D] {
  const { graph } = scene;
  const paths: [Path2D, Path2D, Path2D] = [new Path2D(), new Path2D(), new Path2D()];
  for (const e of scene.edges) {
    const from = graph.handlePoint(e.connection.source, 'source', e.sourcePort);
    const to = graph.handlePoint(e.connection.target, 'target', e.targetPort);
    if (!from || !to) continue;
    const i = scene.selectedEdges.has(e.id) ? 2 : scene.portItems.has(`${e.connection.source}:${e.sourcePort}`) ? 1 : 0;
    const p = paths[i] as Path2D;
    p.moveTo(from.x, from.y);
    p.lineTo(to.x, to.y);
  }
  return paths;
}

function nodePaths(scene: LodScene, colors: LodColors): Pick<LodPaths, 'boxes' | 'marked'> {
  const marked = new Map<string, Path2D>();
  if (scene.nodes.length === 0) return { boxes: null, marked };
  const { graph } = scene;
  const boxes = new Path2D();
  // selected and run nodes get a coloured outline over the plain border
  for (const id of scene.nodes) {
    const n = id.startsWith('note:') ? undefined : graph.lookup.get(id);
    if (!n) continue;
    const { x, y } = n.internals.positionAbsolute;
    const w = n.measured.width ?? 200;
    const h = n.measured.height ?? 60;
    boxes.rect(x, y, w, h);
    const status = scene.runs.get(id)?.status;
    const color = n.selected
      ? colors.accent
      : status === 'failed'
        ? colors.danger
        : status === 'succeeded'
          ? colors.success
          : status === 'running'
            ? colors.running
            : undefined;
    if (!color) continue;
    const p = marked.get(color) ?? new Path2D();
    marked.set(color, p);
    p.rect(x, y, w, h);
  }
  return { boxes, marked };
}
