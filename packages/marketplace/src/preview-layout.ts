/** Geometry shared with the renderer (the canvas' node size and spacing). */
export const NODE_WIDTH = 200;
export const GAP = 240;
export const PAD = 24;
/** Vertical space between wrapped rows (the wrap-around edges run through it). */
export const ROW_GAP = 64;

/** A node box in graph coordinates; `row` is its wrapped row (0 when the flow is not wrapped). */
export interface PlacedBox {
  x: number;
  y: number;
  h: number;
  row: number;
}

/** A view box in graph coordinates. */
export interface ViewBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Bounds of boxes with the padding around them. */
export function bounds(boxes: Array<{ x: number; y: number; h: number }>) {
  if (!boxes.length) return { minX: -PAD, minY: -PAD, maxX: NODE_WIDTH + PAD, maxY: 40 + PAD };
  return {
    minX: Math.min(...boxes.map((b) => b.x)) - PAD,
    minY: Math.min(...boxes.map((b) => b.y)) - PAD,
    maxX: Math.max(...boxes.map((b) => b.x + NODE_WIDTH)) + PAD,
    maxY: Math.max(...boxes.map((b) => b.y + b.h)) + PAD,
  };
}

/** Grows a box around its centre to the output's aspect ratio, and to at least three nodes wide so one node is not drawn huge. */
export function fitBox(b: { minX: number; minY: number; maxX: number; maxY: number }, aspect: number): ViewBox {
  let w = Math.max(b.maxX - b.minX, 3 * GAP);
  let h = b.maxY - b.minY;
  if (w / h < aspect) w = h * aspect;
  else h = w / aspect;
  const cx = (b.minX + b.maxX) / 2;
  const cy = (b.minY + b.maxY) / 2;
  return { x: round(cx - w / 2), y: round(cy - h / 2), w: round(w), h: round(h) };
}

/**
 * The column of each box in a left-to-right flow: boxes sorted by x start a new column when their
 * left edge is more than half a node right of the column's first box.
 */
function columns(boxes: Array<{ x: number }>): number[] {
  const order = boxes.map((b, i) => ({ x: b.x, i })).sort((a, b) => a.x - b.x);
  const out = new Array<number>(boxes.length).fill(0);
  let column = -1;
  let start = Number.NEGATIVE_INFINITY;
  for (const { x, i } of order) {
    if (x - start > NODE_WIDTH / 2) {
      column++;
      start = x;
    }
    out[i] = column;
  }
  return out;
}

/**
 * Wraps a long left-to-right flow into rows like lines of text, choosing the number of rows
 * that draws nodes largest in a `width` x `height` picture, with no more columns per row than fit
 * across at `minScale` (so a cropped picture loses whole rows, never a row's end). Each row keeps
 * the flow's vertical layout (branches stay one above the other); columns are evenly spaced.
 */
export function wrapRows(
  boxes: Array<{ x: number; y: number; h: number }>,
  width: number,
  height: number,
  minScale: number,
): { placed: PlacedBox[]; rowTop: (row: number) => number } {
  const cols = columns(boxes);
  const count = Math.max(0, ...cols) + 1;
  const top = Math.min(...boxes.map((b) => b.y));
  const band = Math.max(...boxes.map((b) => b.y + b.h)) - top;
  const fits = Math.max(1, Math.floor((width / minScale - 2 * PAD - NODE_WIDTH) / GAP) + 1);
  let best = { rows: count, perRow: 1, scale: -1 };
  for (let rows = 1; rows <= count; rows++) {
    const perRow = Math.ceil(count / rows);
    if (perRow > fits || (rows > 1 && Math.ceil(count / (rows - 1)) === perRow)) continue;
    const w = (perRow - 1) * GAP + NODE_WIDTH + 2 * PAD;
    const h = rows * band + (rows - 1) * ROW_GAP + 2 * PAD;
    const scale = Math.min(width / w, height / h);
    if (scale > best.scale) best = { rows, perRow, scale };
  }
  const rowTop = (row: number) => row * (band + ROW_GAP);
  const placed = boxes.map((b, i) => {
    const col = cols[i] as number;
    const row = Math.floor(col / best.perRow);
    return { x: (col % best.perRow) * GAP, y: b.y - top + rowTop(row), h: b.h, row };
  });
  return { placed, rowTop };
}

/**
 * Where the picture looks: the whole graph when it fits at `minScale` output pixels per graph
 * unit, else a window of that scale at the start of the flow (top left), with the boxes that do
 * not fit in it counted.
 */
export function viewOf(
  boxes: Array<{ x: number; y: number; h: number }>,
  width: number,
  height: number,
  minScale: number,
): { view: ViewBox; scale: number; hidden: number } {
  const all = bounds(boxes);
  const whole = fitBox(all, width / height);
  if (width / whole.w >= minScale) return { view: whole, scale: width / whole.w, hidden: 0 };
  const view = { x: round(all.minX), y: round(all.minY), w: round(width / minScale), h: round(height / minScale) };
  const hidden = boxes.filter((b) => b.x + NODE_WIDTH > view.x + view.w || b.y + b.h > view.y + view.h).length;
  return { view, scale: minScale, hidden };
}
