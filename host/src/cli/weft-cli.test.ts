import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startTestHost } from '../testing/test-host.js';
import { defaultRegistry, weftCli } from './weft-cli.js';

const root = new URL('../../../', import.meta.url).pathname;
const example = join(root, 'examples/workflows/order-total.json');
const exampleInput = join(root, 'examples/workflows/order-total.input.json');
const launcher = join(root, 'host/bin/weft.js');
const { version } = JSON.parse(readFileSync(join(root, 'host/package.json'), 'utf8'));
const hookWorkflow = JSON.stringify({
  name: 'Hook',
  nodes: [
    { id: 'h', name: 'Hook', type: 'weft.webhook', parameters: { path: 'orders' } },
    { id: 'r', name: 'Fetch', type: 'http.request', parameters: { url: 'https://example.org' } },
    { id: 'x', name: 'Reply', type: 'weft.respondToWebhook', parameters: {} },
  ],
  connections: [
    { source: 'h', target: 'r' },
    { source: 'r', target: 'x' },
  ],
});

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

  it('validate names each schema problem once, with its location once', async () => {
    const path = await tmp('schema.json', JSON.stringify({ nodes: [], connections: [{ source: 'a' }], extra: 1 }));
    const r = await cli('validate', path);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toEqual([
      `${path}#/name: is required (expected required property)`,
      `${path}#/extra: unknown property`,
      `${path}#/connections/0/target: is required (expected required property)`,
      `3 problems in ${path}`,
    ]);
  });

  it('knows the whole node catalogue of the host: webhook trigger, connector nodes, Respond to Webhook', async () => {
    const path = await tmp('hook.json', hookWorkflow);
    expect(await cli('validate', path)).toEqual({ code: 0, out: `${path}: valid`, err: '' });
    const host = await startTestHost();
    try {
      const served = host.host.runtime.registry.list().map((t) => `${t.type}@${t.version ?? 1}`);
      const known = defaultRegistry()
        .list()
        .map((t) => `${t.type}@${t.version ?? 1}`);
      expect(known.sort()).toEqual(served.sort());
    } finally {
      await host.close();
    }
  });

  it('prints help for every command and the version', async () => {
    expect(await cli('--version')).toEqual({ code: 0, out: version, err: '' });
    for (const argv of [
      ['run', '--help'],
      ['run', '-h'],
      ['help', 'run'],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.out).toMatch(/^Usage: weft run <workflow\.json\|yaml> \[--input data\.json\] \[--json\]\n/);
    }
    for (const command of ['start', 'worker', 'migrate', 'validate', 'import', 'export', 'prune']) {
      const r = await cli(command, '--help');
      expect(r.code, command).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: weft ${command}`));
    }
    expect((await cli('user', '--help')).out).toMatch(/^Usage: weft user create --email/);
    expect((await cli('user', 'create', '--help')).out).toMatch(/^Usage: weft user create --email/);
    expect((await cli('keys', 'rotate', '-h')).out).toMatch(/^Usage: weft keys rotate/);
    expect((await cli('help')).out).toContain('weft --version');
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
      [['user'], /Usage: weft user create/, 2],
      [['start', 'extra'], /Unexpected argument 'extra'/, 2],
    ];
    for (const [argv, message, code] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(code);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it('the weft binary (the committed launcher npm links) runs the built CLI and adds --no-node-snapshot itself', async () => {
    const env = { ...process.env, NODE_OPTIONS: '' };
    delete env.WEFT_ISOLATE_FLAGS_RELAUNCHED;
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [launcher, 'run', example, '--input', exampleInput, '--json'], {
      env,
    });
    expect(JSON.parse(stdout).status).toBe('succeeded');
    expect((await run(process.execPath, [launcher, '--version'], { env })).stdout).toBe(`${version}\n`);
    const hook = await tmp('hook.json', hookWorkflow);
    expect((await run(process.execPath, [launcher, 'validate', hook], { env })).stdout).toBe(`${hook}: valid\n`);
  }, 120_000);

  it('the launcher says to build first when the CLI is not built', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'weft-launcher-'));
    await mkdir(join(dir, 'bin'));
    await copyFile(launcher, join(dir, 'bin/weft.js'));
    await writeFile(join(dir, 'package.json'), '{"type":"module"}');
    const r = await promisify(execFile)(process.execPath, [join(dir, 'bin/weft.js'), '--version']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(r).toMatchObject({ code: 1 });
    expect((r as { stderr: string }).stderr).toMatch(
      /the CLI is not built yet .*dist\/bin\/weft\.js is missing.*npm run build/,
    );
  });
});
