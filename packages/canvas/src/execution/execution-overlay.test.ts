import { describe, expect, it } from 'vitest';
import { sampleRunEvents } from '../../demo/fixtures.js';
import { emptyOverlay, reduceOverlay } from './execution-overlay.js';

describe('execution overlay', () => {
  it('tracks node status, durations and item counts per port through a run', () => {
    const events = sampleRunEvents('e1');
    const mid = events.slice(0, 4).reduce(reduceOverlay, emptyOverlay());
    expect(mid.status).toBe('running');
    expect(mid.nodes.get('fetch')?.status).toBe('running');
    const done = events.reduce(reduceOverlay, emptyOverlay());
    expect(done.status).toBe('succeeded');
    expect(done.nodes.get('fetch')).toEqual({ status: 'succeeded', durationMs: 182, runs: 1 });
    expect(done.portItems.get('big:true')).toBe(2);
    expect(done.portItems.get('big:false')).toBe(1);
  });

  it('records the failing node and its error', () => {
    const done = sampleRunEvents('e2', true).reduce(reduceOverlay, emptyOverlay());
    expect(done.status).toBe('failed');
    expect(done.nodes.get('notify')?.status).toBe('failed');
    expect(done.nodes.get('notify')?.error?.code).toBe('HTTP_401');
    expect(done.nodes.has('tag')).toBe(false);
  });

  it('starts over for a new execution and ignores stray events of another', () => {
    let s = sampleRunEvents('e1').reduce(reduceOverlay, emptyOverlay());
    const [started, ...rest] = sampleRunEvents('e2');
    s = reduceOverlay(s, started!);
    expect(s.nodes.size).toBe(0);
    s = reduceOverlay(s, sampleRunEvents('e1')[2]!);
    expect(s.nodes.size).toBe(0);
    s = rest.reduce(reduceOverlay, s);
    expect(s.executionId).toBe('e2');
    expect(s.nodes.size).toBe(5);
  });

  it('sums durations and items over loop runs', () => {
    const base = { executionId: 'e', workspaceId: 'w', workflowId: 'f', at: 0 };
    const run = (seq: number) => ({
      ...base,
      seq,
      type: 'node:executed' as const,
      nodeId: 'loop',
      nodeName: 'Loop',
      runIndex: seq,
      status: 'succeeded' as const,
      durationMs: 10,
      attempts: 1,
      itemsIn: 1,
      itemsOut: { main: 2 },
    });
    const s = [run(1), run(2), run(3)].reduce(reduceOverlay, emptyOverlay());
    expect(s.nodes.get('loop')).toEqual({ status: 'succeeded', durationMs: 30, runs: 3 });
    expect(s.portItems.get('loop:main')).toBe(6);
  });
});
