import { describe, expect, it } from 'vitest';
import { expectValid, run } from '../import.test-support.js';
import { importNodeRed } from './import-node-red.js';

const tab = { id: 'tab1', type: 'tab', label: 'Orders', disabled: false, info: '' };
const inject = (wires: string[][], extra: Record<string, unknown> = {}) => ({
  id: 'inj',
  type: 'inject',
  z: 'tab1',
  name: 'Go',
  props: [{ p: 'payload' }, { p: 'topic', vt: 'str' }],
  repeat: '',
  crontab: '',
  once: false,
  topic: 'orders',
  payload: '[3,1,2]',
  payloadType: 'json',
  x: 100,
  y: 100,
  wires,
  ...extra,
});

describe('importNodeRed', () => {
  it('function with two outputs, msg in/out and node.warn routes messages like Node-RED', async () => {
    const flows = [
      tab,
      inject([['split']]),
      {
        id: 'split',
        type: 'split',
        z: 'tab1',
        name: '',
        splt: '\\n',
        spltType: 'str',
        arraySplt: 1,
        arraySpltType: 'len',
        stream: false,
        addname: '',
        x: 200,
        y: 100,
        wires: [['fn']],
      },
      {
        id: 'fn',
        type: 'function',
        z: 'tab1',
        name: 'Odd or even',
        func: 'node.warn("got " + msg.payload);\nmsg.kind = msg.payload % 2 ? "odd" : "even";\nreturn msg.payload % 2 ? [msg, null] : [null, msg];',
        outputs: 2,
        x: 300,
        y: 100,
        wires: [['odd'], ['even']],
      },
      { id: 'odd', type: 'debug', z: 'tab1', name: 'Odd', x: 400, y: 50, wires: [] },
      { id: 'even', type: 'debug', z: 'tab1', name: 'Even', x: 400, y: 150, wires: [] },
    ];
    const { workflows, report } = importNodeRed(JSON.stringify(flows));
    expect(workflows).toHaveLength(1);
    const w = workflows[0]!;
    expectValid(w);
    const { out } = await run(w);
    expect(out('Odd')?.map((m) => [m.payload, m.kind, m.topic])).toEqual([
      [3, 'odd', 'orders'],
      [1, 'odd', 'orders'],
    ]);
    expect(out('Even')?.map((m) => [m.payload, m.kind])).toEqual([[2, 'even']]);
    expect(out('Odd')?.[0]).not.toHaveProperty('_weftOutput');
    expect(report.workflows[0]?.nodes.find((n) => n.source === 'Odd or even')?.status).toBe('differences');
  });
});
