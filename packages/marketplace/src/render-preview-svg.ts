import { builtinNodeTypes } from '@weft/engine';
import { GAP, NODE_WIDTH, type PlacedBox, ROW_GAP, viewOf, wrapRows } from './preview-layout.js';
import type { WorkflowPreview } from './template-listing.js';

// Geometry of the canvas (packages/canvas model/node-geometry): same look without a browser.
const NODE_HEADER = 40;
const PORT_SPACING = 22;
const MAX_NAME = 22;

type Group = 'trigger' | 'flow' | 'transform' | 'action' | 'code' | 'utility';
const GLYPHS: Record<Group, { color: string; glyph: string }> = {
  trigger: { color: '#EA580C', glyph: '<path d="M13 3 6 13h5l-1 8 7-10h-5z"/>' },
  flow: { color: '#2563EB', glyph: '<path d="M6 5v4a3 3 0 0 0 3 3h6a3 3 0 0 1 3 3v4M6 19v-7M15 16l3 3 3-3"/>' },
  transform: { color: '#0D9488', glyph: '<path d="M5 7h14M5 12h9M5 17h6M16 15l3 3-3 3"/>' },
  code: { color: '#7C3AED', glyph: '<path d="m9 8-4 4 4 4M15 8l4 4-4 4"/>' },
  utility: { color: '#475569', glyph: '<circle cx="12" cy="12" r="3"/><path d="M12 4v2M12 18v2M4 12h2M18 12h2"/>' },
  action: { color: '#0369A1', glyph: '<path d="M5 12h12M13 7l5 5-5 5"/>' },
};
const BUILTIN_GROUP = new Map<string, Group>(builtinNodeTypes.map((t) => [t.type, t.group]));
const PALETTE = ['#0369A1', '#7C3AED', '#BE185D', '#047857', '#B45309', '#4338CA', '#0F766E', '#9333EA'];

/** Options for {@link renderPreviewSvg}. */
export interface PreviewSvgOptions {
  /** Output size in CSS pixels; the graph is scaled to fit, centred (default 640 × 320). */
  width?: number;
  height?: number;
  /** Accessible title of the image (default: "Workflow preview"). */
  title?: string;
  /**
   * Smallest output pixels per graph unit (default 0.45, five or six nodes across a 640-wide
   * picture; 0 always fits the whole graph). A longer flow is wrapped into rows; if it still does not fit, the picture shows its
   * start and says how many more nodes there are.
   */
  minScale?: number;
}

/** Escapes text for SVG character data and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

function groupOf(type: string): Group | undefined {
  const builtin = BUILTIN_GROUP.get(type);
  if (builtin) return builtin;
  if (/(^weft\.(schedule|webhook|cron|poll))|trigger/i.test(type)) return 'trigger';
  if (type.startsWith('weft.')) return 'transform';
  return undefined;
}

/** A connector's badge: built-in groups get the canvas glyph, connectors their initials on a stable colour. */
function icon(type: string, x: number, y: number): string {
  const group = groupOf(type);
  const at = `transform="translate(${x} ${y})"`;
  if (group) {
    const g = GLYPHS[group];
    return `<g ${at}><rect width="24" height="24" rx="6" fill="${g.color}"/><g fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${g.glyph}</g></g>`;
  }
  const id = type.split('.')[0] ?? type;
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const initials = escapeXml(
    id
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 2)
      .toUpperCase() || '?',
  );
  return `<g ${at}><rect width="24" height="24" rx="6" fill="${PALETTE[hash % PALETTE.length]}"/><text x="12" y="16" text-anchor="middle" font-size="11" font-weight="700" fill="#fff">${initials}</text></g>`;
}

const truncate = (s: string, max = MAX_NAME) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const round = (n: number) => Math.round(n * 10) / 10;

/** The bezier xyflow draws from a right-hand source handle to a left-hand target handle. */
function bezier(sx: number, sy: number, tx: number, ty: number): string {
  const offset = (d: number) => (d >= 0 ? 0.5 * d : 0.25 * 25 * Math.sqrt(-d));
  const o = offset(tx - sx);
  return `M${round(sx)},${round(sy)} C${round(sx + o)},${round(sy)} ${round(tx - o)},${round(ty)} ${round(tx)},${round(ty)}`;
}

/** An edge into a later wrapped row: out to the right, down into the gap above the row, back left, in. */
function wrapAround(sx: number, sy: number, tx: number, ty: number, gapY: number): string {
  const [r, l] = [sx + 32, tx - 32];
  return `M${round(sx)},${round(sy)} C${round(r)},${round(sy)} ${round(r)},${round(gapY)} ${round(sx)},${round(gapY)} L${round(tx)},${round(gapY)} C${round(l)},${round(gapY)} ${round(l)},${round(ty)} ${round(tx)},${round(ty)}`;
}

/**
 * A static SVG picture of a workflow graph in the canvas' look — rounded node boxes with the
 * node's icon (or its connector's initials) and name, bezier edges between ports — for
 * thumbnails and link previews where no browser runs. Every name is escaped; the view box fits
 * all nodes. Nodes without a position are laid out left to right. A flow too long to draw at
 * `minScale` is wrapped into rows, and, if still too long, cropped to its start with a
 * "+N more" badge; names are then drawn larger so they read as in a short flow.
 *
 * @example
 * ```ts
 * const svg = renderPreviewSvg(previewOf(version.workflow), { title: template.name });
 * res.type('image/svg+xml').send(svg);
 * ```
 */
export function renderPreviewSvg(preview: WorkflowPreview, options: PreviewSvgOptions = {}): string {
  const width = options.width ?? 640;
  const height = options.height ?? 320;
  const ports = new Map<string, { inputs: string[]; outputs: string[] }>();
  const portsOf = (id: string) => {
    let p = ports.get(id);
    if (!p) {
      p = { inputs: [], outputs: [] };
      ports.set(id, p);
    }
    return p;
  };
  const add = (list: string[], port: string) => {
    if (!list.includes(port)) port === 'main' ? list.unshift(port) : list.push(port);
  };
  for (const c of preview.connections) {
    add(portsOf(c.source).outputs, c.sourcePort ?? 'main');
    add(portsOf(c.target).inputs, c.targetPort ?? 'main');
  }
  const laid = preview.nodes.map((n, i) => {
    const p = portsOf(n.id);
    const rows = Math.max(1, p.inputs.length, p.outputs.length);
    const [x, y] = n.position ?? [i * GAP, 0];
    return { node: n, ports: p, x, y, h: NODE_HEADER + rows * PORT_SPACING - 2 };
  });
  const minScale = options.minScale ?? 0.45;
  let placed: PlacedBox[] = laid.map((b) => ({ x: b.x, y: b.y, h: b.h, row: 0 }));
  let rowTop = (_row: number) => 0;
  if (laid.length > 1 && viewOf(placed, width, height, minScale).scale === minScale)
    ({ placed, rowTop } = wrapRows(laid, width, height, minScale));
  const { view: fit, scale, hidden } = viewOf(placed, width, height, minScale);
  const all = laid.map((b, i) => ({ ...b, ...(placed[i] as PlacedBox) }));
  const boxes = new Map(all.map((b) => [b.node.id, b]));
  // Names read as large as in a four-node flow, up to 1.6 times the canvas' size.
  const grow = Math.min(1.6, Math.max(1, width / (4 * GAP) / scale));
  const portY = (b: { y: number }, index: number) => b.y + NODE_HEADER + index * PORT_SPACING + PORT_SPACING / 2 - 2;

  const edges: string[] = [];
  for (const c of preview.connections) {
    const from = boxes.get(c.source);
    const to = boxes.get(c.target);
    if (!from || !to) continue;
    const sy = portY(from, Math.max(0, from.ports.outputs.indexOf(c.sourcePort ?? 'main')));
    const ty = portY(to, Math.max(0, to.ports.inputs.indexOf(c.targetPort ?? 'main')));
    const sx = from.x + NODE_WIDTH;
    const d =
      to.row > from.row && to.x < sx
        ? wrapAround(sx, sy, to.x, ty, rowTop(to.row) - ROW_GAP / 2)
        : bezier(sx, sy, to.x, ty);
    edges.push(`<path class="edge" d="${d}"/>`);
  }
  const nodes = all.map((b) => {
    const name = escapeXml(truncate(b.node.name, Math.floor(MAX_NAME / grow)));
    const labels = b.ports.outputs.length > 1 || (b.ports.outputs[0] ?? 'main') !== 'main' ? b.ports.outputs : [];
    return `<g class="node"><title>${escapeXml(b.node.name)}</title><rect x="${b.x}" y="${b.y}" width="${NODE_WIDTH}" height="${b.h}" rx="8"/>${icon(b.node.type, b.x + 10, b.y + 8)}<text class="name" x="${b.x + 42}" y="${b.y + 25}">${name}</text>${labels
      .map(
        (port, i) =>
          `<text class="port" x="${b.x + NODE_WIDTH - 10}" y="${portY(b, i) + 4}" text-anchor="end">${escapeXml(truncate(port))}</text>`,
      )
      .join(
        '',
      )}${b.ports.inputs.map((_, i) => `<circle class="handle" cx="${b.x}" cy="${portY(b, i)}" r="5"/>`).join('')}${b.ports.outputs.map((_, i) => `<circle class="handle" cx="${b.x + NODE_WIDTH}" cy="${portY(b, i)}" r="5"/>`).join('')}</g>`;
  });
  const title = escapeXml(options.title ?? 'Workflow preview');
  const more = hidden ? moreBadge(hidden, fit, scale) : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${fit.x} ${fit.y} ${fit.w} ${fit.h}" preserveAspectRatio="xMidYMid meet" role="img" aria-label="${title}"><title>${title}</title><style>.edge{fill:none;stroke:#94a3b8;stroke-width:2}.node>rect{fill:#fff;stroke:#c9cfd8;stroke-width:1}.handle{fill:#fff;stroke:#64748b;stroke-width:1.5}text{font-family:system-ui,-apple-system,'Segoe UI',sans-serif}.name{font-size:${round(13 * grow)}px;font-weight:600;fill:#1f2937}.port{font-size:11px;fill:#64748b}</style><rect x="${fit.x}" y="${fit.y}" width="${fit.w}" height="${fit.h}" fill="#f7f7f9"/>${edges.join('')}${nodes.join('')}${more}</svg>`;
}

/** "+N more": a pill in the bottom-right corner, drawn at a fixed output size whatever the zoom. */
function moreBadge(hidden: number, view: { x: number; y: number; w: number; h: number }, scale: number): string {
  const label = `+${hidden} more node${hidden === 1 ? '' : 's'}`;
  const [w, h] = [(label.length * 7.4 + 20) / scale, 26 / scale];
  const [x, y] = [view.x + view.w - w - 10 / scale, view.y + view.h - h - 10 / scale];
  return `<g class="more"><rect x="${round(x)}" y="${round(y)}" width="${round(w)}" height="${round(h)}" rx="${round(h / 2)}" fill="#1f2937" fill-opacity="0.85"/><text x="${round(x + w / 2)}" y="${round(y + h / 2 + 4.5 / scale)}" text-anchor="middle" font-size="${round(13 / scale)}" font-weight="600" fill="#fff">${label}</text></g>`;
}
