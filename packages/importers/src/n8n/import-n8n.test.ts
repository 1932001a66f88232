import { describe, expect, it } from 'vitest';
import { run } from '../import.test-support.js';
import { importN8n } from './import-n8n.js';

const trigger = {
  name: 'Start',
  type: 'n8n-nodes-base.manualTrigger',
  typeVersion: 1,
  position: [0, 0],
  parameters: {},
};
const link = (...names: string[]) =>
  Object.fromEntries(
    names.slice(0, -1).map((n, i) => [n, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
  );

describe('importN8n: workflow structure', () => {
  it('keeps names, positions, connections by output index, settings, sticky notes, disabled nodes and pinned data', async () => {
    const wf = {
      id: 'wf1',
      name: 'Orders',
      nodes: [
        trigger,
        {
          name: 'Big?',
          type: 'n8n-nodes-base.if',
          typeVersion: 1,
          position: [200, 0],
          parameters: { conditions: { number: [{ value1: '={{ $json.total }}', operation: 'larger', value2: 100 }] } },
        },
        { name: 'Yes', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [400, -100], parameters: {} },
        {
          name: 'No',
          type: 'n8n-nodes-base.noOp',
          typeVersion: 1,
          position: [400, 100],
          parameters: {},
          disabled: true,
        },
        {
          name: 'Note',
          type: 'n8n-nodes-base.stickyNote',
          typeVersion: 1,
          position: [0, 300],
          parameters: { content: '# Hi', width: 300, height: 200, color: 4 },
        },
      ],
      connections: {
        Start: { main: [[{ node: 'Big?', type: 'main', index: 0 }]] },
        'Big?': { main: [[{ node: 'Yes', type: 'main', index: 0 }], [{ node: 'No', type: 'main', index: 0 }]] },
      },
      settings: { executionOrder: 'v1', errorWorkflow: 'wf9', timezone: 'Europe/Berlin', executionTimeout: 60 },
      pinData: { Start: [{ json: { total: 5 } }] },
      tags: [{ id: '1', name: 'sales' }],
    };
    const { workflows, report } = importN8n(JSON.stringify(wf));
    const [w] = workflows;
    expect(w?.id).toBe('wf1');
    expect(w?.settings).toEqual({ errorWorkflow: 'wf9', timezone: 'Europe/Berlin', timeoutMs: 60000 });
    expect(w?.notes).toEqual([{ id: 'Note', text: '# Hi', position: [0, 300], size: [300, 200], color: '4' }]);
    expect(w?.tags).toEqual(['sales']);
    expect(w?.nodes.map((n) => [n.name, n.type, n.position, n.disabled ?? false])).toEqual([
      ['Start', 'weft.manualTrigger', [0, 0], false],
      ['Big?', 'weft.if', [200, 0], false],
      ['Yes', 'weft.noOp', [400, -100], false],
      ['No', 'weft.noOp', [400, 100], true],
    ]);
    expect(w?.connections).toEqual([
      { source: 'Start', target: 'Big' },
      { source: 'Big', sourcePort: 'true', target: 'Yes' },
      { source: 'Big', sourcePort: 'false', target: 'No' },
    ]);
    expect(report.workflows[0]?.pinnedData).toEqual({ Start: [{ json: { total: 5 } }] });
    expect(report.summary).toMatchObject({ nodes: 4, exact: 4, unsupported: 0 });
    const { out } = await run(w!, [{ total: 150 }, { total: 50 }]);
    expect(out('Yes')).toEqual([{ total: 150 }]);
    expect(out('No')).toEqual([{ total: 50 }]);
  });
});

describe('importN8n: compositions', () => {
  it('the last node of a composition keeps the n8n name, so $("Name") reads its final output', async () => {
    const wf = {
      name: 'Compose',
      nodes: [
        trigger,
        {
          name: 'Data',
          type: 'n8n-nodes-base.code',
          typeVersion: 2,
          parameters: { jsCode: 'return [1, 2, 3].map((n) => ({ json: { n } }));' },
        },
        {
          name: 'Agg',
          type: 'n8n-nodes-base.aggregate',
          typeVersion: 1,
          parameters: { aggregate: 'aggregateAllItemData', destinationFieldName: 'rows' },
        },
        {
          name: 'Count',
          type: 'n8n-nodes-base.set',
          typeVersion: 3.4,
          parameters: {
            assignments: {
              assignments: [{ id: '1', name: 'count', value: "={{ $('Agg').item.json.rows.length }}", type: 'number' }],
            },
          },
        },
      ],
      connections: link('Start', 'Data', 'Agg', 'Count'),
    };
    const { workflows, report } = importN8n(wf);
    expect(report.workflows[0]?.nodes.find((n) => n.source === 'Agg')?.nodes).toEqual(['Agg · collect', 'Agg']);
    const { out } = await run(workflows[0]!);
    expect(out('Count')).toEqual([{ count: 3 }]);
  });
});
