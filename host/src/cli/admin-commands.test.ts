import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { orderWebhookWorkflow } from '../workflows/example-workflows.js';
import { weftCli } from './weft-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-cli-admin-'));
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

describe('weft admin commands', () => {
  it('migrate, user create, import (JSON and YAML), export a workspace, prune, keys rotate', async () => {
    const m = await cli('migrate');
    expect(m.err).toBe('');
    expect(m.code).toBe(0);
    expect(m.out).toContain('applied 2: host identity, api keys and vault columns');
    const u = await cli('user', 'create', '--email', 'cli@example.com', '--password', 'password-123', '--name', 'Cli');
    expect(u.code).toBe(0);
    const ws = /new workspace (\S+)/.exec(u.out)?.[1] as string;
    expect(ws).toBeTruthy();
    expect((await cli('user', 'create', '--email', 'cli@example.com', '--password', 'password-123')).err).toContain(
      'already exists',
    );

    const jsonFile = join(dir, 'orders.json');
    writeFileSync(jsonFile, JSON.stringify({ ...orderWebhookWorkflow('cli-orders', 'orders'), active: true }));
    const yamlFile = join(dir, 'bundle.yaml');
    writeFileSync(
      yamlFile,
      `workflows:\n  - id: second\n    name: Second\n    nodes:\n      - { id: t, name: T, type: weft.manualTrigger, parameters: {} }\n    connections: []\n`,
    );
    const imp = await cli('import', jsonFile, yamlFile, '--workspace', ws);
    expect(imp.code).toBe(0);
    expect(imp.out).toContain('[1/2] Order webhook (orders) → version 1, active');
    expect(imp.out).toContain('Imported 2 workflows');

    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        name: 'Bad',
        nodes: [{ id: 'x', name: 'X', type: 'weft.nope', parameters: {} }],
        connections: [],
      }),
    );
    const refused = await cli('import', bad, '--workspace', ws);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('bad.json');

    const outFile = join(dir, 'export.yaml');
    const exp = await cli('export', '--workspace', ws, '--out', outFile);
    expect(exp.out).toContain('Exported 2 workflows');
    const doc = parseYaml(readFileSync(outFile, 'utf8'));
    expect(doc.workflows.map((w: { id: string }) => w.id).sort()).toEqual(['orders', 'second']);
    expect(doc.workflows.find((w: { id: string }) => w.id === 'orders').active).toBe(true);

    const prune = await cli('prune', '--older-than', '1d');
    expect(prune.code).toBe(0);
    expect(prune.out).toContain('Pruned 0 executions');
    expect((await cli('prune', '--older-than', 'soon')).err).toContain('--older-than must look like');

    const rotate = await cli('keys', 'rotate', '--generate');
    expect(rotate.code).toBe(0);
    expect(rotate.out).toContain('Generated master key k2');
    expect(rotate.out).toMatch(/Re-wrapped \d+ workspace data key/);
  }, 60_000);

  it('reports bad configuration naming the setting', async () => {
    process.env.WEFT_PORT = 'eighty';
    try {
      const r = await cli('migrate');
      expect(r.code).toBe(2);
      expect(r.err).toContain('WEFT_PORT must be an integer');
    } finally {
      delete process.env.WEFT_PORT;
    }
  });
});
