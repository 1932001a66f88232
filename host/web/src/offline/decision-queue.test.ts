import { describe, expect, it } from 'vitest';
import { flushDecisions, memoryDecisionStore, type QueuedDecision, type SendFailure } from './decision-queue.js';

const decision = (executionId: string, queuedAt: number, approved = true): QueuedDecision => ({
  decisionId: `d-${executionId}`,
  workspaceId: 'w1',
  executionId,
  approved,
  queuedAt,
});

describe('flushDecisions', () => {
  it('sends oldest first, once each, and empties the queue of what was applied', async () => {
    const store = memoryDecisionStore();
    await store.put(decision('e2', 2));
    await store.put(decision('e1', 1));
    const sent: string[] = [];
    const outcomes = await flushDecisions(store, async (d) => {
      sent.push(d.decisionId);
      return { status: 'succeeded' };
    });
    expect(sent).toEqual(['d-e1', 'd-e2']);
    expect(outcomes.map((o) => o.result)).toEqual(['applied', 'applied']);
    expect(await store.all()).toEqual([]);
    expect(await flushDecisions(store, async () => ({ status: 'x' }))).toEqual([]);
  });

  it('keeps decisions on network errors, 5xx and an expired session', async () => {
    const store = memoryDecisionStore();
    await store.put(decision('e1', 1));
    await store.put(decision('e2', 2));
    await store.put(decision('e3', 3));
    const errors: Record<string, unknown> = {
      e1: new TypeError('Failed to fetch'),
      e2: { status: 503, message: 'down' } satisfies SendFailure,
      e3: { status: 401, message: 'expired' } satisfies SendFailure,
    };
    const outcomes = await flushDecisions(store, async (d) => {
      throw errors[d.executionId];
    });
    expect(outcomes).toEqual([]);
    expect((await store.all()).map((d) => d.executionId).sort()).toEqual(['e1', 'e2', 'e3']);
  });

  it('drops a decision someone else took first, saying who, and one the host refuses', async () => {
    const store = memoryDecisionStore();
    await store.put(decision('e1', 1));
    await store.put(decision('e2', 2));
    const outcomes = await flushDecisions(store, async (d) => {
      const failure: SendFailure =
        d.executionId === 'e1'
          ? { status: 409, message: 'no longer waiting', decision: { approved: true, byName: 'Edith' } }
          : { status: 404, message: 'Execution "e2" not found' };
      throw failure;
    });
    expect(outcomes.map((o) => [o.result, 'message' in o ? o.message : ''])).toEqual([
      ['conflict', 'Already approved by Edith'],
      ['failed', 'Execution "e2" not found'],
    ]);
    expect(await store.all()).toEqual([]);
  });

  it('a later decision on the same execution replaces the queued one', async () => {
    const store = memoryDecisionStore();
    await store.put(decision('e1', 1, true));
    await store.put({ ...decision('e1', 2, false), decisionId: 'd-2' });
    expect((await store.all()).map((d) => [d.decisionId, d.approved])).toEqual([['d-2', false]]);
  });
});
