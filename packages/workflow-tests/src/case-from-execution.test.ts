import { InterpreterSandbox, WorkflowEngine } from '@weft/engine';
import { afterAll, describe, expect, it } from 'vitest';
import { caseFromExecution } from './case-from-execution.js';
import { invoicesSent, order, orderFlow, registry } from './order-flow.test-support.js';
import { runTestCase } from './run-test-case.js';

const sandbox = new InterpreterSandbox();
afterAll(() => sandbox.close());

describe('caseFromExecution', () => {
  it('pins a real run: input, time, side-effect outputs as mocks, path and final outputs', async () => {
    const engine = new WorkflowEngine({ registry, sandbox });
    const flow = orderFlow();
    const run = await engine.execute(flow, {
      workspaceId: 'ws1',
      input: order([{ price: 60, qty: 2 }]),
      mode: 'manual',
    });
    expect(invoicesSent).toHaveLength(1);
    const record = await engine.executions.get('ws1', run.executionId);
    const runs = await engine.executions.listNodeRuns(run.executionId);
    const testCase = caseFromExecution({
      name: 'large order',
      record: record as NonNullable<typeof record>,
      runs,
      workflow: flow,
      registry,
    });
    expect(testCase.mocks).toEqual({ 'Send invoice': [{ json: { invoiceId: 'real-invoice' } }] });
    expect(testCase.now).toBe(new Date(record?.startedAt ?? 0).toISOString());
    expect(testCase.assertions).toEqual([
      {
        kind: 'path',
        nodes: ['Order received', 'Compute total', 'Large order?', 'Tag large', 'Send invoice', 'Respond'],
      },
      { kind: 'equals', node: 'Respond', value: [{ invoiceId: 'real-invoice' }] },
    ]);

    const replay = await runTestCase(flow, testCase, { registry, sandbox });
    expect(replay.status).toBe('passed');
    expect(invoicesSent).toHaveLength(1);

    const broken = orderFlow({ threshold: 1000 });
    const failed = await runTestCase(broken, testCase, { registry, sandbox });
    expect(failed.status).toBe('failed');
    expect(failed.assertions[0]?.diff?.[0]).toBe('$[3]: expected "Tag large", received "Tag small"');
  });
});
