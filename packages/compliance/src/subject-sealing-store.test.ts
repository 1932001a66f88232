import { randomBytes } from 'node:crypto';
import {
  type CreateQueued,
  type ExecutionRecord,
  type JobQueue,
  MemoryExecutionStore,
  MemoryQueue,
  type NodeRunRecord,
} from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { importSubjectKey, isSealed, openJson, type SubjectKey } from './sealed-payload.js';
import { subjectAt } from './subject-identifier.js';
import { ERASED_ITEMS, type SubjectKeys, SubjectSealingExecutionStore } from './subject-sealing-store.js';

function memoryKeys(): SubjectKeys & { destroy(keyId: string): void } {
  const bySubject = new Map<string, string>();
  const keys = new Map<string, SubjectKey>();
  const bound = new Map<string, string>();
  return {
    async keyFor(ws, subject) {
      let keyId = bySubject.get(`${ws}|${subject}`);
      if (!keyId) {
        keyId = `sk_${bySubject.size + 1}`;
        bySubject.set(`${ws}|${subject}`, keyId);
        keys.set(keyId, importSubjectKey(randomBytes(32)));
      }
      return { keyId, key: keys.get(keyId) as SubjectKey };
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

/** A store that, like the SQL one, writes start jobs to its own queue with the execution. */
class QueueingMemoryStore extends MemoryExecutionStore {
  readonly queue = new MemoryQueue();
  createQueuedIn(queue: JobQueue): CreateQueued | undefined {
    if (queue !== this.queue) return undefined;
    return async (record, job, options) => {
      const r = await this.create(record);
      if (r.created) await this.queue.enqueue(job, options);
      return r;
    };
  }
}

describe('SubjectSealingExecutionStore', () => {
  it('passes create-with-job through to its store, sealed, and only for the queue that store writes to', async () => {
    const inner = new QueueingMemoryStore();
    const store = new SubjectSealingExecutionStore(inner, {
      keys: memoryKeys(),
      subjectOf: (r) => subjectAt(r.input, ['email']),
    });
    expect(store.createQueuedIn(new MemoryQueue())).toBeUndefined();
    expect(
      new SubjectSealingExecutionStore(new MemoryExecutionStore(), {
        keys: memoryKeys(),
        subjectOf: () => undefined,
      }).createQueuedIn(inner.queue),
    ).toBeUndefined();
    const createQueued = store.createQueuedIn(inner.queue) as CreateQueued;
    const first = { ...record('q1', { email: 'ada@example.org' }), status: 'queued' as const, idempotencyKey: 'k' };
    const job = { workspaceId: 'ws_1', executionId: 'q1', kind: 'start' as const };
    expect(await createQueued(first, job, { dedupeKey: 'start:q1' })).toEqual({ created: true, record: first });
    expect(isSealed((await inner.get('ws_1', 'q1'))?.input)).toBe(true);
    const again = await createQueued({ ...first, id: 'q2' }, { ...job, executionId: 'q2' }, { dedupeKey: 'start:q2' });
    expect(again).toMatchObject({ created: false, record: { id: 'q1', input: first.input } });
    const claimed = await inner.queue.claim({ workerId: 'w', leaseMs: 1000, max: 5 });
    expect(claimed.map((c) => c.job.executionId)).toEqual(['q1']);
  });

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

  it('seals every execution of a workspace that encrypts payloads at rest; a subject key still wins', async () => {
    const keys = memoryKeys();
    const { keyId: payloadKey } = await keys.keyFor('ws_1', '#payload');
    const inner = new MemoryExecutionStore();
    const store = new SubjectSealingExecutionStore(inner, {
      keys,
      subjectOf: (r) => subjectAt(r.input, ['email']),
      payloadKeyOf: (r) => (r.workspaceId === 'ws_1' ? payloadKey : undefined),
    });
    await store.create(record('p1', { diagnosis: 'J45.909' }));
    await store.create(record('p2', { email: 'ada@example.org' }));
    await store.create({ ...record('p3', { diagnosis: 'open' }), workspaceId: 'ws_2' });
    await store.checkpoint('p1', [nodeRun('p1', 0)], { status: 'succeeded', output: { main: [{ json: { ok: 1 } }] } });
    const raw = await inner.get('ws_1', 'p1');
    expect(raw?.input).toMatchObject({ $sealed: { kid: payloadKey } });
    expect(JSON.stringify([raw, await inner.listNodeRuns('p1')])).not.toContain('J45');
    expect((await inner.get('ws_1', 'p2'))?.input).toMatchObject({ $sealed: { kid: 'sk_2' } });
    expect(JSON.stringify(await inner.get('ws_2', 'p3'))).toContain('open');
    expect((await store.get('ws_1', 'p1'))?.input.main?.[0]?.json).toEqual({ diagnosis: 'J45.909' });
    expect((await store.listNodeRuns('p1'))[0]?.output).toEqual(nodeRun('p1', 0).output);
  });

  it('seals error messages and details of executions and node runs, keeping code and node plain', async () => {
    const inner = new MemoryExecutionStore();
    const keys = memoryKeys();
    const store = new SubjectSealingExecutionStore(inner, { keys, subjectOf: (r) => subjectAt(r.input, ['email']) });
    const error = { message: 'No account for ada@example.org', code: 'NODE_ERROR', nodeId: 'n', nodeName: 'N' };
    const withDetails = { ...error, details: { email: 'ada@example.org', attempt: 2 } };
    await store.create({ ...record('f1', { email: 'ada@example.org' }), error });
    await store.checkpoint('f1', [{ ...nodeRun('f1', 0), status: 'failed', error: withDetails }], {
      status: 'failed',
      error: withDetails,
    });
    await store.create(record('f2', { other: 'plain' }));
    await store.update('f2', { status: 'failed', error });

    const raw = await inner.get('ws_1', 'f1');
    const rawRuns = await inner.listNodeRuns('f1');
    expect(JSON.stringify([raw, rawRuns])).not.toContain('ada@');
    expect(raw?.error).toMatchObject({ message: '[sealed]', code: 'NODE_ERROR', nodeId: 'n', nodeName: 'N' });
    expect(rawRuns[0]?.error?.message).toBe('[sealed]');
    expect((await store.get('ws_1', 'f1'))?.error).toEqual(withDetails);
    expect((await store.listNodeRuns('f1'))[0]?.error).toEqual(withDetails);
    expect((await store.list('ws_1')).items.find((r) => r.id === 'f1')?.error).toEqual(withDetails);
    // An execution without a subject keeps its error as it was.
    expect((await inner.get('ws_1', 'f2'))?.error).toEqual(error);

    keys.destroy('sk_1');
    const erased = { message: '[erased]', code: 'NODE_ERROR', nodeId: 'n', nodeName: 'N' };
    expect((await store.get('ws_1', 'f1'))?.error).toEqual(erased);
    expect((await store.listNodeRuns('f1'))[0]?.error).toEqual(erased);
  });

  it('opens envelopes sealed by the earlier Web Crypto implementation (ciphertext then tag)', async () => {
    const raw = randomBytes(32);
    const iv = randomBytes(12);
    const web = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt']);
    const ct = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode('sk_old') },
      web,
      new TextEncoder().encode(JSON.stringify({ kept: true })),
    );
    const sealed = {
      $sealed: { v: 1 as const, kid: 'sk_old', iv: iv.toString('base64'), ct: Buffer.from(ct).toString('base64') },
    };
    expect(openJson(sealed, importSubjectKey(raw))).toEqual({ kept: true });
    expect(() => openJson({ $sealed: { ...sealed.$sealed, kid: 'sk_other' } }, importSubjectKey(raw))).toThrow();
  });
});
