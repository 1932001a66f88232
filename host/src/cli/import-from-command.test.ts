import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weftCli } from './weft-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-cli-import-from-'));
const corpus = new URL('../../../packages/importers/corpus/', import.meta.url).pathname;
const saved = { ...process.env };

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await weftCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(() => {
  process.env.WEFT_DATA_DIR = dir;
  process.env.WEFT_LOG_LEVEL = 'silent';
});
afterAll(() => {
  process.env = saved;
});

describe('weft import of n8n and Node-RED files', () => {
  it('converts (format given or detected), prints the report, stores the workflows', async () => {
    expect((await cli('migrate')).code).toBe(0);
    const u = await cli('user', 'create', '--email', 'imp@example.com', '--password', 'password-123');
    const ws = /new workspace (\S+)/.exec(u.out)?.[1] as string;

    const dry = await cli('import', '--dry-run', join(corpus, 'n8n', 'export-all.json'));
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('export-all.json (n8n): 2 workflows, 12 nodes');
    expect(dry.out).toMatch(
      /x Archive on FTP \(n8n-nodes-base\.ftp\): n8n node type "n8n-nodes-base.ftp" has no Weft equivalent/,
    );
    expect(dry.out).toContain('create credential github.token "import-github.token-GitHub" (was githubApi "GitHub")');
    expect(dry.out).toContain('Dry run: nothing was stored');

    const n8n = await cli('import', '--from', 'n8n', join(corpus, 'n8n', 'nightly-report.json'), '--workspace', ws);
    expect(n8n.err).toBe('');
    expect(n8n.code).toBe(0);
    expect(n8n.out).toContain('Imported 1 workflow into workspace');
    const red = await cli('import', join(corpus, 'node-red', 'flows.json'), '--workspace', ws);
    expect(red.code).toBe(0);
    expect(red.out).toContain('flows.json (node-red): 2 workflows');
    expect(red.out).toContain('Imported 2 workflows');

    const outFile = join(dir, 'export.json');
    await cli('export', '--workspace', ws, '--out', outFile);
    const names = JSON.parse(readFileSync(outFile, 'utf8'))
      .workflows.map((w: { name: string }) => w.name)
      .sort();
    expect(names).toEqual(['Nightly revenue report', 'Orders API', 'Sensor batch']);
  });

  it('refuses an unknown --from and a file that is not in the format given', async () => {
    expect((await cli('import', '--from', 'zapier', 'x.json')).err).toContain(
      '--from must be n8n or node-red, not "zapier"',
    );
    const notRed = join(dir, 'n8n.json');
    writeFileSync(notRed, JSON.stringify({ name: 'x', nodes: [], connections: {} }));
    const r = await cli('import', '--from', 'node-red', notRed);
    expect(r.code).toBe(2);
    expect(r.err).toContain('n8n.json is not a node-red export: /: expected a Node-RED flows.json');
  });
});
