import { type ExecutionRecord, MemoryExecutionStore, type NodeRunRecord } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { importSubjectKey, isSealed } from './sealed-payload.js';
import { subjectAt } from './subject-identifier.js';
import { ERASED_ITEMS, type SubjectKeys, SubjectSealingExecutionStore } from './subject-sealing-store.js';

function memoryKeys(): SubjectKeys & { destroy(keyId: string): void } {
  const bySubject = new Map<string, string>();
  const keys = new Map<string, CryptoKey>();
  const bound = new Map<string, string>();
  return {
    async keyFor(ws, subject) {
      let keyId = bySubject.get(`${ws}|${subject}`);
      if (!keyId) {
        keyId = `sk_${bySubject.size + 1}`;
        bySubject.set(`${ws}|${subject}`, keyId);
        keys.set(keyId, await importSubjectKey(crypto.getRandomValues(new Uint8Array(32))));
      }
      return { keyId, key: keys.get(keyId) as CryptoKey };
    },
    key: async (keyId) => keys.get(keyId),
    bindExecution: async (_ws, id, keyId) => void bound.set(id, keyId),
    executionKey: async (id) => bound.get(id) ?? null,
    destroy: (keyId) => void keys.delete(keyId),
  };
}

const record = (id: string, json: Record<string, unknown>, parentExecutionId?: string): ExecutionRecord => ({
  id,
  workspaceId: 'ws_1',
  workflowId: 'wf',
  workflowVersion: 1,
  status: 'running',
  mode: 'manual',
  input: { main: [{ json: json as never }] },
  startedAt: 1,
  depth: 0,
  ...(parentExecutionId ? { parentExecutionId } : {}),
});

const nodeRun = (executionId: string, seq: number): NodeRunRecord => ({
  executionId,
  seq,
  nodeId: 'n',
  nodeName: 'N',
  runIndex: 0,
  status: 'succeeded',
  attempts: 1,
  input: { main: [{ json: { email: 'ada@example.org' } }] },
  output: { main: [{ json: { email: 'ada@example.org', ok: true } }] },
  state: { cursor: 3 },
  startedAt: 1,
  finishedAt: 2,
});

describe('SubjectSealingExecutionStore', () => {
  it('seals what names a subject, opens it on read, and reads it as erased once the key is gone', async () => {
    const inner = new MemoryExecutionStore();
    const keys = memoryKeys();
    const store = new SubjectSealingExecutionStore(inner, { keys, subjectOf: (r) => subjectAt(r.input, ['email']) });
    await store.create(record('e1', { email: 'Ada@Example.org' }));
    await store.create(record('e2', { other: 'plain' }));
    await store.checkpoint('e1', [nodeRun('e1', 0)], { status: 'succeeded', output: { main: [{ json: { x: 1 } }] } });
    await store.checkpoint('e2', [nodeRun('e2', 0)]);

    const raw = await inner.get('ws_1', 'e1');
    expect(isSealed(raw?.input) && isSealed(raw?.output)).toBe(true);
    expect(JSON.stringify(await inner.listNodeRuns('e1'))).not.toContain('ada@');
    expect(JSON.stringify(await inner.listNodeRuns('e2'))).toContain('ada@');
    expect((await store.get('ws_1', 'e1'))?.input.main?.[0]?.json).toEqual({ email: 'Ada@Example.org' });
    expect((await store.listNodeRuns('e1'))[0]).toMatchObject({
      state: { cursor: 3 },
      output: nodeRun('e1', 0).output,
    });

    // A retry inherits its parent's key even though its input names nobody.
    await store.create(record('e3', {}, 'e1'));
    expect(isSealed((await inner.get('ws_1', 'e3'))?.input)).toBe(true);

    keys.destroy('sk_1');
    expect((await store.get('ws_1', 'e1'))?.input).toEqual(ERASED_ITEMS);
    expect((await store.listNodeRuns('e1'))[0]).toMatchObject({
      input: ERASED_ITEMS,
      output: ERASED_ITEMS,
      state: null,
    });
    expect((await store.list('ws_1')).items.map((r) => r.input)).toContainEqual(ERASED_ITEMS);
    await expect(store.checkpoint('e1', [nodeRun('e1', 1)])).rejects.toThrow('was erased');
  });
});
