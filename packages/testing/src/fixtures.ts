import { randomUUID } from 'node:crypto';
import type { ExecutionRecord, NodeRunRecord, Workflow } from '@weft/engine';

/**
 * An execution record with every optional field left out, for conformance tests.
 *
 * @example
 * ```ts
 * await store.create(sampleExecution({ workspaceId: 'ws1', status: 'running' }));
 * ```
 */
export function sampleExecution(overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    id: `ex-${randomUUID()}`,
    workspaceId: 'ws-a',
    workflowId: 'wf-1',
    workflowVersion: 1,
    status: 'running',
    mode: 'manual',
    input: { main: [{ json: { orderId: 1, tags: ['a', 'b'], nested: { ok: true, n: null } } }] },
    startedAt: 1_700_000_000_000,
    depth: 0,
    ...overrides,
  };
}

/**
 * A node run with items (including a binary reference), an error and node state filled in.
 *
 * @example
 * ```ts
 * await store.checkpoint(execution.id, [sampleNodeRun(execution.id, 0)]);
 * ```
 */
export function sampleNodeRun(executionId: string, seq: number, overrides: Partial<NodeRunRecord> = {}): NodeRunRecord {
  return {
    executionId,
    seq,
    nodeId: `n${seq}`,
    nodeName: `Node ${seq}`,
    runIndex: 0,
    status: 'succeeded',
    attempts: 1,
    input: { main: [{ json: { i: seq } }] },
    output: {
      main: [
        {
          json: { i: seq, text: 'héllo ✓ "quoted"', list: [1, 2.5, -3], empty: {} },
          binary: { file: { id: `blob-${seq}`, mimeType: 'image/png', fileName: 'a.png', size: 42 } },
        },
      ],
      error: [],
    },
    state: { cursor: seq, seen: ['x'], deep: { a: [{ b: null }] } },
    startedAt: 1_700_000_000_000 + seq * 10,
    finishedAt: 1_700_000_000_005 + seq * 10,
    ...overrides,
  };
}

/**
 * A small valid workflow document with the given id.
 *
 * @example
 * ```ts
 * await workflows.save('ws1', sampleWorkflow('wf1'));
 * ```
 */
export function sampleWorkflow(id: string, name = `Workflow ${id}`): Workflow & { id: string } {
  return {
    id,
    name,
    nodes: [
      { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
      { id: 's', name: 'Set', type: 'weft.set', parameters: { fields: [{ name: 'a', value: '{{ $json.x }}' }] } },
    ],
    connections: [{ source: 't', target: 's' }],
    settings: { timeoutMs: 1000 },
    tags: ['demo'],
  };
}

/**
 * Resolves after `ms` milliseconds.
 *
 * @example
 * ```ts
 * await delay(120); // let a 60 ms lease lapse
 * ```
 */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
