import { describe, expect, it } from 'vitest';
import { expectValid, registry, run } from './import.test-support.js';
import { importN8n, n8nNodeTypes } from './n8n/import-n8n.js';
import { importNodeRed, nodeRedNodeTypes } from './node-red/import-node-red.js';

describe('nodes exported with default (omitted) parameters', () => {
  it.each(n8nNodeTypes)('n8n %s imports to a valid workflow in every type version', (type) => {
    const trigger = /Trigger$|\.(start|cron|interval|webhook)$/.test(type);
    for (const typeVersion of [1, 1.1, 2, 2.2, 3, 3.4, 4.2]) {
      for (const parameters of [{}, { options: {} }]) {
        const { workflows, report } = importN8n(
          {
            name: 'defaults',
            nodes: [
              { name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} },
              { name: 'N', type, typeVersion, parameters },
            ],
            connections: trigger ? {} : { Start: { main: [[{ node: 'N', type: 'main', index: 0 }]] } },
          },
          { nodeTypes: registry },
        );
        expectValid(workflows[0]!);
        expect(report.summary.nodes).toBe(2);
      }
    }
  });

  it.each(nodeRedNodeTypes)('Node-RED %s imports to a valid workflow', (type) => {
    const { workflows, report } = importNodeRed(
      [
        { id: 't', type: 'tab', label: 'x' },
        { id: 'a', type, z: 't', wires: [[]] },
      ],
      { nodeTypes: registry },
    );
    expectValid(workflows[0]!);
    expect(report.summary.nodes).toBe(type === 'comment' ? 0 : 1);
  });

  it('a required parameter left empty fails with a clear message when the node runs, and is reported', async () => {
    const wf = {
      name: 'empty',
      nodes: [
        { name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} },
        { name: 'Fail', type: 'n8n-nodes-base.stopAndError', typeVersion: 1, parameters: {} },
      ],
      connections: { Start: { main: [[{ node: 'Fail', type: 'main', index: 0 }]] } },
    };
    const { workflows, report } = importN8n(wf, { nodeTypes: registry });
    expect(report.workflows[0]?.nodes[1]).toMatchObject({
      status: 'differences',
      differences: ['required parameter "Error message" was empty in the export: fill it in'],
    });
    const { result } = await run(workflows[0]!);
    expect(result.error?.message).toContain('"Error message" of "Fail" was empty in the export: fill it in');
  });
});
