import { describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../model/execution.js';
import { MemoryExecutionStore } from './memory-execution-store.js';

const rec = (
  id: string,
  workflowId: string,
  startedAt: number,
  status: ExecutionRecord['status'] = 'succeeded',
): ExecutionRecord => ({
  id,
  workspaceId: 'ws',
  workflowId,
  workflowVersion: 1,
  status,
  mode: 'manual',
  input: {},
  startedAt,
  depth: 0,
});

describe('MemoryExecutionStore retention', () => {
  it('prunes finished executions by age and by count per workflow, in chunks', async () => {
    const store = new MemoryExecutionStore();
    for (let i = 0; i < 10; i++) await store.create(rec(`a${i}`, 'A', i));
    await store.create(rec('running', 'A', 0, 'running'));
    for (let i = 0; i < 3; i++) await store.create(rec(`b${i}`, 'B', 100 + i));
    const progress = [];
    for await (const p of store.pruneExecutions({ olderThan: 5, chunkSize: 2 })) progress.push(p);
    expect(progress).toEqual([
      { deleted: 2, chunks: 1 },
      { deleted: 4, chunks: 2 },
      { deleted: 5, chunks: 3 },
    ]);
    expect(await store.get('ws', 'running')).toBeDefined();
    for await (const _ of store.pruneExecutions({ keepPerWorkflow: 2 })) {
      // drain
    }
    const left = (await store.list('ws', { limit: 100 })).items.map((r) => r.id).sort();
    expect(left).toEqual(['a8', 'a9', 'b1', 'b2', 'running']);
    await expect(async () => {
      for await (const _ of store.pruneExecutions({})) {
        // drain
      }
    }).rejects.toThrow('needs olderThan');
  });
});
