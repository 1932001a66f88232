import { InterpreterSandbox } from '@weft/engine';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from './case-clock.js';
import { invoicesSent, order, orderFlow, registry } from './order-flow.test-support.js';
import { runTestCase } from './run-test-case.js';
import { runTestSuite, UnknownTestCaseError } from './run-test-suite.js';
import type { Assertion, TestCase } from './test-suite-schema.js';

const sandbox = new InterpreterSandbox();
afterAll(() => sandbox.close());
const flow = orderFlow();
const invoiceMock = { 'Send invoice': [{ json: { invoiceId: 'inv-1', tier: 'large' } }] };
const large = order([{ price: 60, qty: 2 }]);
const small = order([{ price: 5, qty: 1 }], 'bob');

async function one(assertion: Assertion, extra: Partial<TestCase> = {}) {
  const result = await runTestCase(
    flow,
    { name: 'case', input: large, mocks: invoiceMock, assertions: [assertion], ...extra },
    { registry, sandbox },
  );
  return { result, a: result.assertions[0] };
}

describe('assertions', () => {
  it('equals: passes on the same value, fails with one line per difference', async () => {
    const ok = await one({ kind: 'equals', node: 'Compute total', item: 0, path: 'total', value: 120 });
    expect(ok.a).toMatchObject({ passed: true, kind: 'equals' });
    const bad = await one({
      kind: 'equals',
      node: 'Compute total',
      item: 0,
      value: { customer: 'ada', total: 130, extra: true },
    });
    expect(bad.result.status).toBe('failed');
    expect(bad.a?.passed).toBe(false);
    expect(bad.a?.diff).toEqual([
      '$.total: expected 130, received 120',
      '$.extra: missing, expected true',
      '$.at: unexpected "2026-01-01T00:00:00.000Z"',
      '$.run: unexpected "test-1"',
    ]);
  });

  it('contains: subsets of objects, elements of arrays and substrings', async () => {
    expect(
      (await one({ kind: 'contains', node: 'Tag large', value: [{ tier: 'large', customer: 'ada' }] })).a?.passed,
    ).toBe(true);
    expect((await one({ kind: 'contains', node: 'Tag large', item: 0, path: 'customer', value: 'd' })).a?.passed).toBe(
      true,
    );
    const bad = await one({ kind: 'contains', node: 'Tag large', item: 0, value: { tier: 'small', vip: true } });
    expect(bad.a?.diff).toEqual(['$.tier: "large" does not contain "small"', '$.vip: missing, expected true']);
  });

  it('schema: JSON Schema match, with the failing paths', async () => {
    const schema = {
      type: 'object',
      required: ['customer', 'total'],
      properties: { customer: { type: 'string' }, total: { type: 'number', minimum: 0 } },
    };
    expect((await one({ kind: 'schema', node: 'Compute total', item: 0, schema })).a?.passed).toBe(true);
    const bad = await one({
      kind: 'schema',
      node: 'Compute total',
      item: 0,
      schema: { ...schema, properties: { ...schema.properties, total: { type: 'number', maximum: 100 } } },
    });
    expect(bad.a?.passed).toBe(false);
    expect(bad.a?.diff).toEqual(['$.total: must be <= 100']);
    const invalid = await one({ kind: 'schema', node: 'Compute total', schema: { type: 'no-such-type' } });
    expect(invalid.a?.message).toMatch(/^invalid JSON Schema/);
  });

  it('expression: true for every item, evaluated in the sandbox', async () => {
    expect(
      (
        await one({
          kind: 'expression',
          node: 'Tag large',
          expression: '$json.total >= 100 && $("Compute total").item.json.customer === "ada"',
        })
      ).a?.passed,
    ).toBe(true);
    const bad = await one({ kind: 'expression', node: 'Tag large', expression: '{{ $json.total < 100 }}' });
    expect(bad.a?.message).toBe('not true for 1 of 1 item(s)');
    expect(bad.a?.diff?.[0]).toMatch(/^\$\[0\]: false for \$json = \{"customer":"ada","total":120/);
    const threw = await one({ kind: 'expression', node: 'Tag large', expression: '$json.nope.deeper' });
    expect(threw.a?.message).toMatch(/^the expression threw: .*deeper/);
  });

  it('itemCount: exact and ranges', async () => {
    expect((await one({ kind: 'itemCount', node: 'Large order?', port: 'true', count: 1 })).a?.passed).toBe(true);
    expect((await one({ kind: 'itemCount', node: 'Large order?', port: 'false', max: 0 })).a?.passed).toBe(true);
    const bad = await one({ kind: 'itemCount', node: 'Compute total', min: 2 });
    expect(bad.a?.diff).toEqual(['$.length: expected between 2 and ∞, received 1']);
  });

  it('path and route: the way taken through the IF', async () => {
    const path = ['Order received', 'Compute total', 'Large order?', 'Tag large', 'Send invoice', 'Respond'];
    expect((await one({ kind: 'path', nodes: path })).a?.passed).toBe(true);
    expect((await one({ kind: 'route', node: 'Large order?', port: 'true' })).a?.passed).toBe(true);
    const smallPath = await one({ kind: 'path', nodes: path }, { input: small });
    expect(smallPath.a?.diff).toEqual([
      '$[3]: expected "Tag large", received "Tag small"',
      '$[4]: expected "Send invoice", received "Respond"',
      '$[5]: missing, expected "Respond"',
    ]);
    const route = await one({ kind: 'route', node: 'Large order?', port: 'true' }, { input: small });
    expect(route.a?.message).toBe('items went out on false');
  });

  it('error: expected failures pass, other outcomes fail with what happened', async () => {
    const broken = {
      ...flow,
      nodes: flow.nodes.map((n) =>
        n.id === 'total' ? { ...n, parameters: { mode: 'eachItem', code: 'throw new Error("no lines")' } } : n,
      ),
    };
    const r = await runTestCase(
      broken,
      { name: 'fails', input: large, assertions: [{ kind: 'error', node: 'Compute total', message: 'no lines' }] },
      { registry, sandbox },
    );
    expect(r.status).toBe('passed');
    expect(r.error).toMatchObject({ node: 'Compute total' });
    const notFailing = await one({ kind: 'error', message: 'no lines' });
    expect(notFailing.a?.diff).toEqual(['$.status: expected "failed", received "succeeded"']);
    const unexpected = await runTestCase(broken, { name: 'x', input: large, assertions: [] }, { registry, sandbox });
    expect(unexpected.status).toBe('failed');
    expect(unexpected.assertions[0]?.message).toMatch(/^the execution failed: .* at "Compute total": .*no lines/);
  });
});

describe('mocks of side-effecting nodes', () => {
  it('uses the mock instead of running the node', async () => {
    const r = await runTestCase(
      flow,
      {
        name: 'mocked',
        input: large,
        mocks: invoiceMock,
        assertions: [{ kind: 'equals', node: 'Send invoice', item: 0, path: 'invoiceId', value: 'inv-1' }],
      },
      { registry, sandbox },
    );
    expect(r.status).toBe('passed');
    expect(invoicesSent).toEqual([]);
  });

  it('fails the case naming the unmocked node, which never runs', async () => {
    const r = await runTestCase(flow, { name: 'unmocked', input: large, assertions: [] }, { registry, sandbox });
    expect(r.status).toBe('failed');
    expect(r.unmocked).toEqual([{ node: 'Send invoice', type: 'acme.sendInvoice', sideEffects: 'once' }]);
    expect(r.error?.message).toBe(
      'Node "Send invoice" (acme.sendInvoice, side effects "once") would run without a mock: add mocks["Send invoice"] with the items it should output',
    );
    expect(invoicesSent).toEqual([]);
    const smallOrder = await runTestCase(flow, { name: 'small', input: small, assertions: [] }, { registry, sandbox });
    expect(smallOrder.status).toBe('passed');
  });
});

describe('determinism', () => {
  it('fixes $now, $execution.id and Math.random() per case, from its now and seed', async () => {
    const dice = {
      ...flow,
      nodes: flow.nodes.map((n) =>
        n.id === 'total'
          ? {
              ...n,
              parameters: {
                mode: 'allItems',
                code: 'return [{ r: Math.random(), s: Math.random(), at: $now.toISOString(), id: $execution.id }];',
              },
            }
          : n,
      ),
    };
    const roll = async (seed: number) =>
      (
        await runTestCase(
          dice,
          {
            name: 'dice',
            input: large,
            seed,
            now: '2030-05-01T12:00:00Z',
            mocks: invoiceMock,
            assertions: [{ kind: 'itemCount', node: 'Compute total', count: 1 }],
          },
          { registry, sandbox },
        )
      ).assertions[0];
    const values = async (seed: number) => {
      const r = await runTestCase(
        dice,
        {
          name: 'dice',
          input: large,
          seed,
          now: '2030-05-01T12:00:00Z',
          mocks: invoiceMock,
          assertions: [{ kind: 'equals', node: 'Compute total', value: [] }],
        },
        { registry, sandbox },
      );
      return r.assertions[0]?.actual as { r: number; s: number; at: string; id: string }[];
    };
    expect((await roll(7))?.passed).toBe(true);
    const [a] = await values(7);
    const [b] = await values(7);
    const [c] = await values(8);
    expect(a).toEqual(b);
    expect(a?.r).toBe(seededRandom(7)());
    expect(a?.r).not.toBe(a?.s);
    expect(c?.r).not.toBe(a?.r);
    expect(a).toMatchObject({ at: '2030-05-01T12:00:00.000Z', id: 'test-1' });
  });
});

describe('runTestSuite', () => {
  const cases: TestCase[] = Array.from({ length: 12 }, (_, i) => ({
    name: `case ${i}`,
    input: i % 2 ? large : small,
    now: `2026-03-0${1 + (i % 9)}T10:00:00Z`,
    mocks: invoiceMock,
    assertions: [
      { kind: 'equals', node: 'Compute total', item: 0, path: 'at', value: `2026-03-0${1 + (i % 9)}T10:00:00.000Z` },
      { kind: 'route', node: 'Large order?', port: i % 2 ? 'true' : 'false' },
    ],
  }));

  it('runs cases in parallel, deterministically, in suite order', async () => {
    const first = await runTestSuite(flow, { cases }, { registry, sandbox, concurrency: 4 });
    expect(first).toMatchObject({ status: 'passed', total: 12, passed: 12, failed: 0, workflow: 'Order webhook' });
    expect(first.cases.map((c) => c.name)).toEqual(cases.map((c) => c.name));
    const again = await runTestSuite(flow, { cases }, { registry, sandbox, concurrency: 3 });
    const strip = (r: typeof first) => r.cases.map(({ durationMs: _d, ...c }) => c);
    expect(strip(again)).toEqual(strip(first));
  });

  it('runs the chosen cases only, and refuses unknown names', async () => {
    const r = await runTestSuite(flow, { cases }, { registry, sandbox, cases: ['case 3'] });
    expect(r.cases.map((c) => c.name)).toEqual(['case 3']);
    await expect(runTestSuite(flow, { cases }, { registry, sandbox, cases: ['nope'] })).rejects.toThrow(
      UnknownTestCaseError,
    );
  });

  it('fails when the workflow changes under its cases', async () => {
    const r = await runTestSuite(orderFlow({ threshold: 1000 }), { cases }, { registry, sandbox });
    expect(r.status).toBe('failed');
    expect(r.failed).toBe(6);
    expect(r.cases[1]?.assertions[1]).toMatchObject({ passed: false, message: 'items went out on false' });
  });
});
