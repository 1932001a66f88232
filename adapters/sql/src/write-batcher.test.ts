import { describe, expect, it } from 'vitest';
import { WriteBatcher } from './write-batcher.js';

describe('WriteBatcher', () => {
  it('flushes writes of the same tick together and settles each with its own outcome', async () => {
    const batches: number[][] = [];
    const batcher = new WriteBatcher<number, number>((ops) => {
      batches.push(ops);
      return ops.map((n) => (n < 0 ? { error: new Error(`bad ${n}`) } : { value: n * 2 }));
    });
    const results = await Promise.allSettled([1, 2, -3, 4].map((n) => batcher.submit(n)));
    expect(batches).toEqual([[1, 2, -3, 4]]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      2,
      4,
      'bad -3',
      8,
    ]);
  });

  it('starts the next batch only when a flush finished, with what arrived meanwhile', async () => {
    const batches: string[][] = [];
    let release: () => void = () => {};
    const batcher = new WriteBatcher<string, void>(async (ops) => {
      batches.push(ops);
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
      return ops.map(() => ({ value: undefined }));
    });
    const first = batcher.submit('a');
    await new Promise((r) => setImmediate(r));
    const later = [batcher.submit('b'), batcher.submit('c')];
    await new Promise((r) => setTimeout(r, 10));
    expect(batches).toEqual([['a']]);
    release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([['a'], ['b', 'c']]);
  });

  it('rejects every write of a batch whose flush throws', async () => {
    const batcher = new WriteBatcher<number, number>(() => {
      throw new Error('disk full');
    });
    await expect(Promise.all([batcher.submit(1), batcher.submit(2)])).rejects.toThrow('disk full');
  });
});
