import type { Rect } from '../model/node-geometry.js';

/** A viewport transform: translate x, translate y, zoom. */
export type ViewTransform = [number, number, number];

/**
 * A uniform grid over rectangles, so the canvas finds what intersects the viewport without
 * scanning every node on each frame.
 *
 * @example
 * ```ts
 * const index = new SpatialIndex<string>(400);
 * index.insert('a', { x: 0, y: 0, width: 200, height: 60 });
 * index.query({ x: -10, y: -10, width: 50, height: 50 }); // Set { 'a' }
 * ```
 */
export class SpatialIndex<K> {
  readonly #cells = new Map<string, K[]>();
  readonly #rects = new Map<K, Rect>();

  constructor(readonly cellSize = 400) {}

  get size(): number {
    return this.#rects.size;
  }

  insert(key: K, rect: Rect): void {
    this.#rects.set(key, rect);
    this.#eachCell(rect, (cell) => {
      const list = this.#cells.get(cell);
      if (list) list.push(key);
      else this.#cells.set(cell, [key]);
    });
  }

  /** Keys whose rectangles intersect `area`. */
  query(area: Rect): Set<K> {
    const out = new Set<K>();
    if (this.#cellCount(area) > this.#rects.size) {
      for (const [key, r] of this.#rects) if (intersects(r, area)) out.add(key);
      return out;
    }
    this.#eachCell(area, (cell) => {
      for (const key of this.#cells.get(cell) ?? []) {
        if (out.has(key)) continue;
        const r = this.#rects.get(key)!;
        if (intersects(r, area)) out.add(key);
      }
    });
    return out;
  }

  #cellCount(r: Rect): number {
    const s = this.cellSize;
    return (
      (Math.floor((r.x + r.width) / s) - Math.floor(r.x / s) + 1) *
      (Math.floor((r.y + r.height) / s) - Math.floor(r.y / s) + 1)
    );
  }

  #eachCell(r: Rect, fn: (cell: string) => void): void {
    const s = this.cellSize;
    const x0 = Math.floor(r.x / s);
    const x1 = Math.floor((r.x + r.width) / s);
    const y0 = Math.floor(r.y / s);
    const y1 = Math.floor((r.y + r.height) / s);
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) fn(`${x},${y}`);
  }
}

/** True when two rectangles overlap or touch. */
export function intersects(a: Rect, b: Rect): boolean {
  return a.x <= b.x + b.width && b.x <= a.x + a.width && a.y <= b.y + b.height && b.y <= a.y + a.height;
}

/**
 * The area of the flow visible in a `width` x `height` pane under `transform`, grown by `margin`
 * screen pixels on each side so nodes appear before they scroll in.
 *
 * @example
 * ```ts
 * visibleArea([0, 0, 2], 800, 600); // { x: -100, y: -100, width: 600, height: 500 } with the default margin
 * ```
 */
export function visibleArea(transform: ViewTransform, width: number, height: number, margin = 200): Rect {
  const [tx, ty, k] = transform;
  return {
    x: (-tx - margin) / k,
    y: (-ty - margin) / k,
    width: (width + 2 * margin) / k,
    height: (height + 2 * margin) / k,
  };
}
