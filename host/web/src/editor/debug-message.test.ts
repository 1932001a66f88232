import type { DebugSession, NodeRunRecord } from '@weft/client';
import { describe, expect, it } from 'vitest';
import { debugMessage } from './debug-message.js';

const names = new Map([
  ['start', 'Start'],
  ['double', 'Double'],
  ['approve', 'Approve refund'],
]);
const base: Pick<DebugSession, 'status' | 'next' | 'breakpoints'> = { status: 'paused', next: [], breakpoints: [] };
const run = (nodeId: string, status: NodeRunRecord['status'] = 'succeeded') => ({
  nodeId,
  nodeName: names.get(nodeId) ?? nodeId,
  status,
});

describe('debugMessage', () => {
  it('says where a session is paused, and whether a breakpoint stopped it', () => {
    const beforeStart = { ...base, next: [{ nodeId: 'start', nodeName: 'Start' }] };
    expect(debugMessage(beforeStart, [], names)).toEqual({ text: 'Paused before Start. Step runs it.', ended: false });
    const beforeDouble = { ...base, next: [{ nodeId: 'double', nodeName: 'Double' }] };
    expect(debugMessage(beforeDouble, [run('start')], names).text).toBe('Ran Start. Paused before Double.');
    expect(debugMessage({ ...beforeDouble, breakpoints: ['double'] }, [run('start')], names).text).toBe(
      'Ran Start. Paused at the breakpoint before Double.',
    );
    expect(debugMessage({ ...beforeDouble, breakpoints: ['Double'] }, [run('start'), run('x')], names).text).toBe(
      'Ran 2 nodes. Paused at the breakpoint before Double.',
    );
    // Before any node ran, a breakpoint on the first node is where it starts anyway.
    expect(debugMessage({ ...beforeStart, breakpoints: ['start'] }, [], names).text).toBe(
      'Paused before Start. Step runs it.',
    );
  });

  it('names what a waiting session waits for', () => {
    const approval = { ...base, status: 'waiting' as const, wait: { nodeId: 'approve', kind: 'signal' as const } };
    expect(debugMessage(approval, [run('start')], names)).toEqual({
      text: 'Ran Start. Waiting for an approval at Approve refund: approve or reject it under Approvals, or stop the session.',
      ended: false,
    });
    const timer = { ...base, status: 'waiting' as const, wait: { nodeId: 'wait1', kind: 'timer' as const } };
    expect(debugMessage(timer, [], names).text).toBe('Waiting for a timer at wait1, or stop the session.');
  });

  it('says clearly that the session ended, and how', () => {
    expect(debugMessage({ ...base, status: 'succeeded' }, [run('double')], names)).toEqual({
      text: 'Ran Double. Debug session ended: the workflow succeeded.',
      ended: true,
    });
    const failed = debugMessage(
      {
        ...base,
        status: 'failed',
        error: { message: 'n is not a number', nodeName: 'Double' } as DebugSession['error'],
      },
      [run('double', 'failed')],
      names,
    );
    expect(failed).toEqual({
      text: 'Ran Double. Debug session ended: the workflow failed at Double: n is not a number.',
      ended: true,
    });
    expect(debugMessage({ ...base, status: 'cancelled' }, [], names)).toEqual({
      text: 'Debug session stopped.',
      ended: true,
    });
  });
});
