import { describe, expect, it } from 'vitest';
import { bundledTemplates } from './bundled-templates.js';
import { escapeXml, renderPreviewSvg } from './render-preview-svg.js';
import { previewOf, type WorkflowPreview } from './template-listing.js';

const viewBox = (svg: string) => {
  const [x, y, w, h] = (/viewBox="([^"]+)"/.exec(svg)?.[1] ?? '').split(' ').map(Number) as number[];
  return { x: x as number, y: y as number, w: w as number, h: h as number };
};

describe('renderPreviewSvg', () => {
  it('escapes node names, port names and the title so markup in them stays text', () => {
    const evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>&';
    const svg = renderPreviewSvg(
      {
        nodes: [
          { id: 'a', name: evil, type: 'weft.manual', position: [0, 0] },
          { id: 'b', name: 'ok', type: 'weft.if', position: [240, 0] },
        ],
        connections: [
          { source: 'a', target: 'b' },
          { source: 'b', sourcePort: '<b onload=x>', target: 'a' },
        ],
      },
      { title: `</title><script>x</script>` },
    );
    expect(svg).not.toMatch(/<script|<img|<b /);
    expect(svg).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('&lt;b onload=x&gt;');
    expect(svg).toContain('&lt;/title&gt;');
    expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
  });

  it('fits every node, including negative and far positions, inside the view box at the output aspect ratio', () => {
    const preview: WorkflowPreview = {
      nodes: [
        { id: 'a', name: 'Start', type: 'weft.manual', position: [-500, -300] },
        { id: 'b', name: 'Far', type: 'slack.postMessage', position: [2000, 900] },
        { id: 'c', name: 'Unplaced', type: 'github.listIssues' },
      ],
      connections: [],
    };
    const svg = renderPreviewSvg(preview, { width: 400, height: 200, minScale: 0 });
    const vb = viewBox(svg);
    expect(vb.w / vb.h).toBeCloseTo(2, 2);
    for (const m of svg.matchAll(/<rect x="(-?[\d.]+)" y="(-?[\d.]+)" width="200" height="(\d+)"/g)) {
      const [x, y, h] = [Number(m[1]), Number(m[2]), Number(m[3])];
      expect(x).toBeGreaterThanOrEqual(vb.x);
      expect(y).toBeGreaterThanOrEqual(vb.y);
      expect(x + 200).toBeLessThanOrEqual(vb.x + vb.w);
      expect(y + h).toBeLessThanOrEqual(vb.y + vb.h);
    }
    expect(svg.match(/class="node"/g)).toHaveLength(3);
    expect(svg).toContain('>SL</text>');
    expect(svg).toContain('>GI</text>');
  });

  it('draws one bezier per connection from the source port on the right to the target port on the left', () => {
    const svg = renderPreviewSvg({
      nodes: [
        { id: 'if', name: 'Paid?', type: 'weft.if', position: [0, 0] },
        { id: 'yes', name: 'Yes', type: 'weft.set', position: [300, -100] },
        { id: 'no', name: 'No', type: 'weft.set', position: [300, 100] },
      ],
      connections: [
        { source: 'if', sourcePort: 'true', target: 'yes' },
        { source: 'if', sourcePort: 'false', target: 'no' },
        { source: 'ghost', target: 'no' },
      ],
    });
    const edges = [...svg.matchAll(/class="edge" d="M([\d.-]+),([\d.-]+) C[^"]* ([\d.-]+),([\d.-]+)"/g)];
    expect(edges).toHaveLength(2);
    expect(edges.map((e) => [Number(e[1]), Number(e[2]), Number(e[3]), Number(e[4])])).toEqual([
      [200, 49, 300, -51],
      [200, 71, 300, 149],
    ]);
    expect(svg).toContain('>true</text>');
    expect(svg).toContain('>false</text>');
  });

  it('renders every bundled template', () => {
    for (const t of bundledTemplates()) {
      const svg = renderPreviewSvg(previewOf(t.workflow), { title: t.name });
      expect(svg.match(/class="node"/g)).toHaveLength(t.workflow.nodes.length);
      expect(svg.match(/class="edge"/g) ?? []).toHaveLength(t.workflow.connections.length);
    }
  });

  /** A chain of `n` nodes 260 apart, as the editor lays them out; every fifth one branches into two. */
  const chain = (n: number): WorkflowPreview => ({
    nodes: Array.from({ length: n }, (_, i) => ({
      id: `n${i}`,
      name: i === 0 ? 'Order webhook' : `Step ${i}`,
      type: i === 0 ? 'weft.webhook' : 'weft.set',
      position: [i * 260, 0] as [number, number],
    })),
    connections: Array.from({ length: n - 1 }, (_, i) => ({ source: `n${i}`, target: `n${i + 1}` })),
  });
  const nodeRects = (svg: string) =>
    [
      ...svg.matchAll(
        /<g class="node"><title>([^<]*)<\/title><rect x="(-?[\d.]+)" y="(-?[\d.]+)" width="200" height="(\d+)"/g,
      ),
    ].map((m) => ({ name: m[1] as string, x: Number(m[2]), y: Number(m[3]), h: Number(m[4]) }));
  const inside = (r: { x: number; y: number; h: number }, vb: ReturnType<typeof viewBox>) =>
    r.x >= vb.x && r.y >= vb.y && r.x + 200 <= vb.x + vb.w && r.y + r.h <= vb.y + vb.h;

  it.each([20, 35, 50])(
    'draws a %i-node flow no smaller than minScale: wrapped into rows, cropped to its start when still too long, the rest counted',
    (n) => {
      const svg = renderPreviewSvg(chain(n));
      const vb = viewBox(svg);
      expect(640 / vb.w).toBeGreaterThanOrEqual(0.45 - 1e-3);
      expect(vb.w / vb.h).toBeCloseTo(2, 2);
      const rects = nodeRects(svg);
      expect(rects).toHaveLength(n);
      // Rows: the flow continues on a new line below, starting at the left again.
      const rows = [...new Set(rects.map((r) => r.y))].sort((a, b) => a - b);
      expect(rows.length).toBeGreaterThan(1);
      const first = rects.filter((r) => r.y === rows[0]);
      const second = rects.filter((r) => r.y === rows[1]);
      expect(second[0]?.x).toBe(first[0]?.x);
      expect(Number(second[0]?.name.replace('Step ', ''))).toBe(first.length);
      // Whole rows: every node of the first row is in the picture, however long the flow.
      expect(first.every((r) => inside(r, vb))).toBe(true);
      // The start of the flow is in the picture; what is not is counted in the badge.
      expect(inside(rects[0] as (typeof rects)[0], vb)).toBe(true);
      const shown = rects.filter((r) => inside(r, vb)).length;
      if (n === 20) expect([shown, svg.includes('more node')]).toEqual([20, false]);
      else {
        expect(shown).toBeGreaterThanOrEqual(20);
        expect(svg).toContain(`>+${n - shown} more nodes</text>`);
      }
      // Names are drawn larger than the canvas' 13px so they read on a card like a short flow's.
      expect(Number(/\.name\{font-size:([\d.]+)px/.exec(svg)?.[1])).toBeGreaterThan(13);
    },
  );

  it('routes an edge into the next row through the gap above that row, and keeps in-row edges as beziers', () => {
    const svg = renderPreviewSvg(chain(24));
    const rects = nodeRects(svg);
    const rowsOf = [...new Set(rects.map((r) => r.y))].sort((a, b) => a - b);
    const perRow = rects.filter((r) => r.y === rowsOf[0]).length;
    const edges = [...svg.matchAll(/class="edge" d="([^"]+)"/g)].map((m) => m[1] as string);
    expect(edges).toHaveLength(23);
    const wraps = edges.filter((d) => d.includes(' L'));
    expect(wraps).toHaveLength(rowsOf.length - 1);
    const wrap = wraps[0] as string;
    const gapY = Number(/ L[\d.-]+,([\d.-]+)/.exec(wrap)?.[1]);
    expect(gapY).toBeGreaterThan((rowsOf[0] as number) + (rects[0]?.h ?? 0));
    expect(gapY).toBeLessThan(rowsOf[1] as number);
    expect(edges[perRow - 1]).toBe(wrap);
  });

  it('leaves a flow that fits at minScale as it is', () => {
    const svg = renderPreviewSvg(chain(5));
    expect(nodeRects(svg).map((r) => r.y)).toEqual([0, 0, 0, 0, 0]);
    expect(svg).not.toContain('more node');
    expect(renderPreviewSvg(chain(3))).toContain('.name{font-size:13px');
  });
});
