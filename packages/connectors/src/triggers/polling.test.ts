import type { JsonObject } from '@weft/engine';
import { MemoryTriggerStateStore } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { scopedState } from '../kit/scoped-state.js';
import { runPoll } from './polling.js';

function feed(initial: JsonObject[]) {
  let items = initial;
  return { set: (next: JsonObject[]) => (items = next), fetch: async () => items };
}

describe('runPoll', () => {
  it('dedupes by increasing id; first run emits nothing by default', async () => {
    const f = feed([{ id: 2 }, { id: 1 }]);
    const state = scopedState(new MemoryTriggerStateStore(), 's');
    expect(await runPoll({ fetch: f.fetch, dedupe: { by: 'id', field: 'id' }, state })).toEqual([]);
    f.set([{ id: 4 }, { id: 3 }, { id: 2 }]);
    expect(await runPoll({ fetch: f.fetch, dedupe: { by: 'id', field: 'id' }, state })).toEqual([{ id: 3 }, { id: 4 }]);
    expect(await runPoll({ fetch: f.fetch, dedupe: { by: 'id', field: 'id' }, state })).toEqual([]);
  });

  it('dedupes by timestamp and can emit the latest N on the first run', async () => {
    const f = feed([
      { t: '2026-01-01T10:00:00Z', n: 1 },
      { t: '2026-01-01T12:00:00Z', n: 3 },
      { t: '2026-01-01T11:00:00Z', n: 2 },
    ]);
    const state = scopedState(new MemoryTriggerStateStore(), 's');
    const opts = {
      fetch: f.fetch,
      dedupe: { by: 'timestamp' as const, field: 't' },
      state,
      firstRun: { emit: 'latest' as const, count: 2 },
    };
    expect((await runPoll(opts)).map((i) => i.n)).toEqual([2, 3]);
    f.set([
      { t: '2026-01-01T12:00:00Z', n: 3 },
      { t: '2026-01-01T13:00:00Z', n: 4 },
    ]);
    expect((await runPoll(opts)).map((i) => i.n)).toEqual([4]);
  });

  it('dedupes by hash of chosen fields, remembering a bounded number', async () => {
    const f = feed([{ k: 'a', noise: 1 }]);
    const state = scopedState(new MemoryTriggerStateStore(), 's');
    const opts = {
      fetch: f.fetch,
      dedupe: { by: 'hash' as const, fields: ['k'], remember: 2 },
      state,
      firstRun: { emit: 'all' as const },
    };
    expect(await runPoll(opts)).toEqual([{ k: 'a', noise: 1 }]);
    f.set([{ k: 'a', noise: 2 }, { k: 'b' }]);
    expect(await runPoll(opts)).toEqual([{ k: 'b' }]);
    f.set([{ k: 'c' }]);
    await runPoll(opts);
    f.set([{ k: 'a' }]);
    expect(await runPoll(opts)).toEqual([{ k: 'a' }]); // forgotten: only 2 hashes kept
  });

  it('test mode returns a newest-first sample without moving the cursor', async () => {
    const f = feed([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }]);
    const store = new MemoryTriggerStateStore();
    const state = scopedState(store, 's');
    expect(
      await runPoll({ fetch: f.fetch, dedupe: { by: 'id', field: 'id' }, state, test: true, sampleSize: 2 }),
    ).toEqual([{ id: 4 }, { id: 3 }]);
    expect(await store.get('s', 'pollCursor')).toBeUndefined();
  });

  it('names the item and field when the dedupe field is missing', async () => {
    const state = scopedState(new MemoryTriggerStateStore(), 's');
    await expect(
      runPoll({
        fetch: async (): Promise<JsonObject[]> => [{ id: 1 }, { name: 'x' }],
        dedupe: { by: 'id', field: 'id' },
        state,
      }),
    ).rejects.toThrow('Polled item #1 has no "id" field, which the dedupe strategy needs');
  });
});
