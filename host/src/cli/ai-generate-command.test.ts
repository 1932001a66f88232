import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateWorkflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { defaultRegistry, weftCli } from './weft-cli.js';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await weftCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('weft ai generate', () => {
  it('prints a valid workflow on stdout and the explanation on stderr', async () => {
    const r = await cli('ai', 'generate', 'Every Monday at 9, post "Standup" to #team on Slack');
    expect(r.code).toBe(0);
    const wf = JSON.parse(r.out);
    expect(wf.nodes.map((n: { type: string }) => n.type)).toEqual(['weft.schedule', 'slack.sendMessage']);
    expect(validateWorkflow(wf, defaultRegistry()).valid).toBe(true);
    expect(r.err).toContain('cron: 0 9 * * 1');
    expect(r.err).toContain('confidence');
  });

  it('writes to --out, and explains bad usage', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'weft-ai-')), 'wf.json');
    const r = await cli('ai', 'generate', 'Fetch https://example.com', '--out', file);
    expect(r.code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8')).nodes).toHaveLength(2);
    const empty = await cli('ai', 'generate');
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('Usage: weft ai generate');
    const half = await cli('ai', 'generate', 'x', '--model', 'gpt-4o-mini');
    expect(half.code).toBe(2);
    expect(half.err).toContain('--model-url and --model go together');
  });
});
