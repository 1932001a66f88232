import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { orderWebhookWorkflow } from '../workflows/example-workflows.js';
import { saveTestSuite } from '../workflows/workflow-tests.js';
import { withRuntime } from './maintenance-commands.js';
import { weftCli } from './weft-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-cli-test-'));
const saved = { ...process.env };
const flow = join(dir, 'orders.json');
const order = (price: number) => [{ json: { body: { customer: 'ada', lines: [{ price, qty: 1 }] } } }];
const passing = {
  name: 'large order',
  input: order(150),
  assertions: [
    { kind: 'route', node: 'Large order?', port: 'true' },
    { kind: 'equals', node: 'Respond', item: 0, path: 'tier', value: 'large' },
  ],
};
const failing = {
  name: 'small order <b>',
  input: order(10),
  assertions: [{ kind: 'equals', node: 'Compute total', item: 0, path: 'total', value: 11 }],
};

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await weftCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(() => {
  process.env.WEFT_DATA_DIR = join(dir, 'data');
  process.env.WEFT_LOG_LEVEL = 'silent';
  writeFileSync(flow, JSON.stringify(orderWebhookWorkflow('cli-orders', 'orders')));
});
afterAll(() => {
  process.env = saved;
});

describe('weft test', () => {
  it('runs the suite beside a workflow file; exit 1 on a failure, with the diff in every report', async () => {
    writeFileSync(join(dir, 'orders.tests.yaml'), toYaml({ cases: [passing, failing] }));
    const plain = await cli('test', flow);
    expect(plain.code).toBe(1);
    expect(plain.out).toContain('✓ large order');
    expect(plain.out).toContain('✗ small order <b>');
    expect(plain.out).toContain('$: expected 11, received 10');
    expect(plain.out).toMatch(/1 passed, 1 failed, 2 total/);
    const tap = await cli('test', flow, '--reporter', 'tap');
    expect(tap.out.split('\n').slice(0, 4)).toEqual([
      'TAP version 13',
      '1..2',
      'ok 1 - Order webhook › large order',
      'not ok 2 - Order webhook › small order <b>',
    ]);
    const junit = await cli('test', flow, '--reporter', 'junit');
    expect(junit.code).toBe(1);
    expect(junit.out).toContain('<testcase name="small order &lt;b&gt;" classname="Order webhook"');
    const json = JSON.parse((await cli('test', flow, '--reporter', 'json')).out);
    expect(json).toMatchObject({ status: 'failed', passed: 1, failed: 1 });

    const only = join(dir, 'passing.tests.json');
    writeFileSync(only, JSON.stringify({ cases: [passing] }));
    expect((await cli('test', flow, '--suite', only)).code).toBe(0);
  });

  it('answers bad input with exit code 2 and a message naming it', async () => {
    expect(await cli('test', flow, '--reporter', 'xml')).toMatchObject({ code: 2 });
    const missing = await cli('test', join(dir, 'none', 'flow.json'));
    expect(missing.code).toBe(2);
    const badSuite = join(dir, 'bad.tests.json');
    writeFileSync(
      badSuite,
      JSON.stringify({ cases: [{ name: 'x', assertions: [{ kind: 'path', nodes: ['Ghost'] }] }] }),
    );
    const bad = await cli('test', flow, '--suite', badSuite);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`${badSuite}#/cases/0/assertions/0: names a node "Ghost" the workflow does not have`);
  });

  it('runs the stored suite of a stored workflow by id and stores the run', async () => {
    const u = await cli('user', 'create', '--email', 'cli-test@example.com', '--password', 'password-123');
    const ws = /new workspace (\S+)/.exec(u.out)?.[1] as string;
    expect((await cli('import', flow, '--workspace', ws)).code).toBe(0);
    await withRuntime(process.env, (rt) => saveTestSuite(rt, ws, 'orders', { suite: { cases: [passing] } }));
    const r = await cli('test', 'orders', '--workspace', ws, '--reporter', 'tap');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok 1 - Order webhook › large order');
    expect((await cli('test', 'nope', '--workspace', ws)).err).toContain('Workflow "nope" not found');
  });
});
