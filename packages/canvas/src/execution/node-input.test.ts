import type { Connection } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { nodeInput, type RunData } from './node-input.js';

const item = (n: number) => ({ json: { n } });

describe('nodeInput', () => {
  const connections: Connection[] = [
    { source: 'trigger', target: 'code' },
    { source: 'code', target: 'if' },
    { source: 'if', sourcePort: 'true', target: 'slack' },
    { source: 'if', sourcePort: 'false', target: 'merge', targetPort: 'b' },
    { source: 'code', target: 'merge', targetPort: 'a' },
  ];
  const runs: RunData[] = [
    { nodeId: 'trigger', input: { main: [item(0)] }, output: { main: [item(1)] } },
    { nodeId: 'code', output: { main: [item(2), item(3)] } },
    { nodeId: 'if', output: { true: [item(2)], false: [item(3)] } },
  ];

  it('uses the input the engine recorded', () => {
    expect(nodeInput(connections, runs, 'trigger')).toEqual({ main: [item(0)] });
  });

  it('derives an unrecorded input from the connected upstream outputs (a failed node included)', () => {
    const failed: RunData[] = [...runs, { nodeId: 'slack' }];
    expect(nodeInput(connections, runs, 'if')).toEqual({ main: [item(2), item(3)] });
    expect(nodeInput(connections, failed, 'slack')).toEqual({ main: [item(2)] });
  });

  it('collects each input port from the ports connected to it', () => {
    expect(nodeInput(connections, runs, 'merge')).toEqual({ a: [item(2), item(3)], b: [item(3)] });
  });

  it('uses the last run of a node that ran more than once', () => {
    const again: RunData[] = [...runs, { nodeId: 'code', output: { main: [item(9)] } }];
    expect(nodeInput(connections, again, 'if')).toEqual({ main: [item(9)] });
  });

  it('is undefined when nothing upstream ran', () => {
    expect(nodeInput(connections, [], 'if')).toBeUndefined();
    expect(nodeInput(connections, runs, 'unconnected')).toBeUndefined();
  });
});
