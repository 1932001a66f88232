import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClaimedJob } from '@weft/engine';
import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedText } from '../testing/database-dump.js';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pgService = await serviceUrl('pg');
const K1 = `k1:${randomBytes(32).toString('base64')}`;
const MARKER = `PHI-${randomBytes(6).toString('hex')}`;

// The worker stores an error with a job it retries (queue_jobs.last_error) or gives up on
// (dead_letters.error). Here the test is the worker (the host runs none), claiming the jobs of
// one execution sealed with the workspace's payload key and one from before encryption was on.
describe.each(sqliteAndPostgres(pgService))('job errors sealed at rest on %s', (_name, skip, open) => {
  let t: TestHost;
  let env: Record<string, string>;
  let drop: (() => Promise<void>) | undefined;
  const work = mkdtempSync(join(tmpdir(), 'weft-job-errors-test-'));

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    env = { ...o.env, WEFT_DATA_DIR: work, WEFT_MASTER_KEY: K1 };
    t = await startTestHost(env, { keepDir: true, worker: false });
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
    rmSync(work, { recursive: true, force: true });
  });

  it.skipIf(skip)(
    'stores retry and dead-letter errors of encrypted executions sealed, and lists them plain',
    async () => {
      const token = await t.login('owner@example.com', 'owner-password');
      const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
      const api = (path: string) => `/api/v1/workspaces/${ws}${path}`;
      const flow = {
        id: 'intake',
        name: 'intake',
        nodes: [{ id: 'manual', name: 'Manual', type: 'weft.manualTrigger', parameters: {} }],
        connections: [],
      };
      expect((await t.call('POST', api('/workflows'), { token, body: flow })).status).toBe(201);
      const run = async () => {
        const r = await t.call('POST', api('/workflows/intake/run'), { token, body: { input: [{ json: {} }] } });
        expect(r.status, r.text).toBeLessThan(300);
        return r.body.executionId as string;
      };
      const plainRun = await run();
      const set = await t.call('PUT', api('/compliance-settings'), {
        token,
        body: { scanBlockSeverity: null, subjectPaths: [], encryptPayloads: true },
      });
      expect(set.status).toBe(200);
      const sealedRun = await run();

      const queue = t.host.runtime.queue;
      const mine = [plainRun, sealedRun];
      for (const executionId of mine)
        await queue.enqueue({ workspaceId: ws, executionId, kind: 'resume' }, { dedupeKey: `test:${executionId}` });
      /** Claims until it holds one job of each execution (other jobs, e.g. queued starts, are acked). */
      const claimMine = async (): Promise<ClaimedJob[]> => {
        const held = new Map<string, ClaimedJob>();
        for (let i = 0; i < 200 && held.size < mine.length; i++) {
          const claimed = await queue.claim({ workerId: 'test', leaseMs: 60_000, max: 10 });
          for (const job of claimed) {
            if (mine.includes(job.job.executionId) && job.job.kind === 'resume') held.set(job.job.executionId, job);
            else await queue.ack(job);
          }
          if (held.size < mine.length) await queue.waitForJobs(100);
        }
        expect([...held.keys()].sort()).toEqual([...mine].sort());
        return [...held.values()];
      };
      const errorOf = (executionId: string) => `no customer record for ${MARKER}-${executionId}`;

      for (const job of await claimMine()) await queue.retry(job, { error: errorOf(job.job.executionId) });
      let stored = await storedText(env, ['queue_jobs', 'dead_letters']);
      expect(stored).toContain(errorOf(plainRun));
      expect(stored).not.toContain(errorOf(sealedRun));
      expect(stored).toContain('weft-sealed:');

      for (const job of await claimMine()) await queue.deadLetter(job, errorOf(job.job.executionId));
      stored = await storedText(env, ['queue_jobs', 'dead_letters']);
      expect(stored).toContain(errorOf(plainRun));
      expect(stored).not.toContain(errorOf(sealedRun));

      const letters = await t.call('GET', api('/dead-letters'), { token });
      expect(letters.status).toBe(200);
      const errors = Object.fromEntries(
        letters.body.items.map((d: { job: { executionId: string }; error: string }) => [d.job.executionId, d.error]),
      );
      expect(errors).toEqual({ [plainRun]: errorOf(plainRun), [sealedRun]: errorOf(sealedRun) });
    },
  );
});
