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
    const svg = renderPreviewSvg(preview, { width: 400, height: 200 });
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
});
