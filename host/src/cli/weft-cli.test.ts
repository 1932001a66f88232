import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { weftCli } from './weft-cli.js';

const root = new URL('../../../', import.meta.url).pathname;
const example = join(root, 'examples/workflows/order-total.json');
const exampleInput = join(root, 'examples/workflows/order-total.input.json');

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await weftCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function tmp(name: string, content: string) {
  const dir = await mkdtemp(join(tmpdir(), 'weft-cli-'));
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('weft CLI', () => {
  it('runs the example workflow, printing each node and the output items', async () => {
    const r = await cli('run', example, '--input', exampleInput);
    expect(r.code).toBe(0);
    for (const node of ['Order received', 'Prepare', 'Large order?', 'Discount', 'Summary'])
      expect(r.out).toContain(`✓ ${node}`);
    expect(r.out).toContain('"message": "Ada pays 117 (saved 13)"');
  });

  it('prints machine-readable results with --json', async () => {
    const r = await cli('run', example, '--input', exampleInput, '--json');
    const parsed = JSON.parse(r.out);
    expect(parsed.status).toBe('succeeded');
    expect(parsed.output[0].json.total).toBe(117);
  });

  it('runs YAML workflows and sleeps through short waits', async () => {
    const path = await tmp(
      'wait.yaml',
      `name: Wait a bit
nodes:
  - { id: t, name: Start, type: weft.manualTrigger, parameters: {} }
  - { id: w, name: Pause, type: weft.wait, parameters: { amount: 0.05, unit: seconds } }
connections:
  - { source: t, target: w }
`,
    );
    const r = await cli('run', path);
    expect(r.code).toBe(0);
    expect(r.out).toContain('⏸ waiting');
    expect(r.out).toContain('✓ succeeded');
  });

  it('validate lists every problem with its location and exits 1', async () => {
    const path = await tmp(
      'bad.json',
      JSON.stringify({
        name: 'x',
        nodes: [{ id: 'a', name: 'A', type: 'weft.nope', parameters: {} }],
        connections: [{ source: 'a', target: 'b' }],
      }),
    );
    const r = await cli('validate', path);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${path}#/nodes/0/type: Unknown node type "weft.nope"`);
    expect(r.out).toContain(`${path}#/connections/0/target: Connection target "b" is not a node of this workflow`);
    expect((await cli('validate', example)).out).toBe(`${example}: valid`);
  });

  it('bad files and arguments get one clear line and a non-zero exit, never a stack trace', async () => {
    const broken = await tmp('broken.json', '{\n  "name": "x",\n  nodes: []\n}');
    const cases: [string[], RegExp, number][] = [
      [['run', '/no/such/file.json'], /Cannot read workflow file \/no\/such\/file.json: no such file/, 2],
      [['run', broken], /is not valid JSON at line 3, column 3/, 2],
      [['run', example, '--input', broken], /is not valid JSON/, 2],
      [['run'], /Usage: weft run/, 2],
      [['run', example, '--bogus'], /Unknown option '--bogus'/, 2],
      [['frobnicate'], /Unknown command "frobnicate"/, 2],
    ];
    for (const [argv, message, code] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(code);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it('the weft binary adds --no-node-snapshot itself', async () => {
    const bin = join(root, 'host/dist/bin/weft.js');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [bin, 'run', example, '--input', exampleInput, '--json'],
      {
        env: { ...process.env, NODE_OPTIONS: '' },
      },
    );
    expect(JSON.parse(stdout).status).toBe('succeeded');
  });
});
