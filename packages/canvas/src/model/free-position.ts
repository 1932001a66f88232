import { NODE_WIDTH, type Rect } from './node-geometry.js';

/**
 * Where a new node of `size` goes near `at` without overlapping any of `taken`: `at` itself when
 * it is free, else moved down past whatever it hits (keeping `gap` between nodes) until it is free.
 *
 * @example
 * ```ts
 * freePosition([{ x: 0, y: 0, width: 200, height: 62 }], [0, 0]); // [0, 92]
 * ```
 */
export function freePosition(
  taken: readonly Rect[],
  at: [number, number],
  size: { width: number; height: number } = { width: NODE_WIDTH, height: 62 },
  gap = 30,
): [number, number] {
  let [x, y] = at;
  for (let i = 0; i < 1000; i++) {
    const hit = taken.filter(
      (r) =>
        x < r.x + r.width + gap &&
        r.x < x + size.width + gap &&
        y < r.y + r.height + gap &&
        r.y < y + size.height + gap,
    );
    if (hit.length === 0) return [x, y];
    y = Math.max(...hit.map((r) => r.y + r.height)) + gap;
  }
  return [x, y];
}
