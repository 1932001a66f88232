import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect-format.js';
import { expectValid, run } from './import.test-support.js';
import { importN8n } from './n8n/import-n8n.js';
import { importNodeRed } from './node-red/import-node-red.js';

const root = join(import.meta.dirname, '..', 'corpus');
const files = (dir: string) => readdirSync(join(root, dir)).map((f) => join(root, dir, f));

describe('the corpus', () => {
  it.each(files('n8n'))('%s: every workflow validates, every node is reported', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(detectFormat(text)).toBe('n8n');
    const { workflows, report } = importN8n(text);
    const parsed = JSON.parse(text);
    const sources = (Array.isArray(parsed) ? parsed : [parsed]).flatMap((w: { nodes: { type: string }[] }) =>
      w.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote'),
    );
    expect(report.summary.nodes).toBe(sources.length);
    expect(report.summary.exact + report.summary.differences + report.summary.unsupported).toBe(sources.length);
    for (const w of workflows) expectValid(w);
  });

  it.each(files('node-red'))('%s: every tab validates, every node is reported', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(detectFormat(text)).toBe('node-red');
    const { workflows, report } = importNodeRed(text);
    for (const w of workflows) expectValid(w);
    const parsed = JSON.parse(text) as { type: string; z?: string }[];
    const tabs = new Set(parsed.filter((n) => n.type === 'tab').map((n) => (n as unknown as { id: string }).id));
    const onTabs = parsed.filter((n) => n.z && tabs.has(n.z) && n.type !== 'comment');
    expect(report.summary.nodes).toBe(onTabs.length);
  });

  it('the order webhook reports its credentials and pinned data, and rejects an order without a large total like n8n', async () => {
    const text = readFileSync(join(root, 'n8n', 'order-webhook.json'), 'utf8');
    const { workflows, report } = importN8n(text);
    const wf = workflows[0]!;
    const reportOf = report.workflows[0]!;
    expect(reportOf.credentials.map((c) => c.type).sort()).toEqual(['http.headerAuth', 'slack.botToken']);
    expect(reportOf.notes.join('\n')).toMatch(/pinned data of Order received/);
    const small = { method: 'POST', path: 'orders', headers: {}, query: {}, body: { id: 'A-2', total: 20 } };
    const { result } = await run(wf, [small]);
    expect(result.status).toBe('failed');
    expect(result.error?.message).toBe('Order A-2 has no total');
  });
});
