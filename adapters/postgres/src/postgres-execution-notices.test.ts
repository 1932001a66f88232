import type { EngineEvent } from '@weft/engine';
import { serviceUrl } from '@weft/testing';
import { describe, expect, it } from 'vitest';
import { openTestStorage } from './postgres-test-storage.js';

const target = await serviceUrl('pg');

const base = { workspaceId: 'ws', workflowId: 'wf', seq: 9, at: 1_700_000_000_000 };

describe.skipIf(target.skip)(target.title('PostgresExecutionNotices'), () => {
  it('tells another process on the schema that an execution ended, with its output and response', async () => {
    const { storage, cleanup, connectPeer } = await openTestStorage(target.url());
    try {
      const host = await connectPeer();
      const small: EngineEvent = {
        ...base,
        executionId: 'e1',
        type: 'workflow:completed',
        durationMs: 3,
        output: { main: [{ json: { total: 136.5 } }] },
        response: { status: 200, body: { ok: true } },
      };
      const large: EngineEvent = {
        ...base,
        executionId: 'e2',
        type: 'workflow:completed',
        durationMs: 3,
        output: { main: [{ json: { text: 'x'.repeat(20_000) } }] },
      };
      const failed: EngineEvent = {
        ...base,
        executionId: 'e3',
        type: 'workflow:failed',
        durationMs: 1,
        error: { message: 'boom', code: 'NODE_FAILED' },
      };
      const waits = ['e1', 'e2', 'e3', 'e4'].map((id) => host.notices.waitFor(id, id === 'e4' ? 300 : 5000));
      // node events are not sent; ends of one turn go out in one statement
      storage.notices.publish({
        ...base,
        executionId: 'e4',
        type: 'node:started',
        nodeId: 'n',
        nodeName: 'N',
        runIndex: 0,
      });
      for (const e of [small, large, failed]) storage.notices.publish(e);
      const [e1, e2, e3, e4] = await Promise.all(waits.map((w) => w.promise));
      expect(e1).toEqual(small);
      // too large for a notification: the end arrives without its output, so the waiter reads the store
      expect(e2).toMatchObject({ type: 'workflow:completed', executionId: 'e2' });
      expect(e2 && 'output' in e2).toBe(false);
      expect(e3).toEqual(failed);
      expect(e4).toBeUndefined();
    } finally {
      await cleanup();
    }
  });
});
