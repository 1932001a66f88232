import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceUrl } from '@weft/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { createHost, type Host } from '../create-host.js';
import { createTempDatabase } from '../testing/postgres-database.js';
import { orderWebhookWorkflow } from '../workflows/example-workflows.js';
import { createRuntime, type HostRuntime } from './host-runtime.js';

const pg = await serviceUrl('pg');

describe.skipIf(pg.skip)(
  pg.title('worker mode: an API process without a worker, executions run by a separate worker runtime'),
  () => {
    let db: Awaited<ReturnType<typeof createTempDatabase>>;
    let host: Host;
    let worker: HostRuntime;
    let base: string;
    const dir = mkdtempSync(join(tmpdir(), 'weft-worker-mode-'));

    beforeAll(async () => {
      db = await createTempDatabase(pg.url());
      const config = loadConfig({
        WEFT_DATABASE_URL: db.url,
        WEFT_DATA_DIR: dir,
        WEFT_PORT: '0',
        WEFT_HOST: '127.0.0.1',
        WEFT_SEED_EXAMPLES: 'false',
        WEFT_OWNER_EMAIL: 'owner@example.com',
        WEFT_OWNER_PASSWORD: 'owner-password',
      });
      const logger = pino({ level: 'silent' });
      host = await createHost(config, { logger, worker: false, announce: () => {} });
      base = await host.listen();
      worker = await createRuntime(config, { logger });
    });
    afterAll(async () => {
      await host?.close();
      await worker?.close();
      await db?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('answers webhooks with the output computed by the other worker', async () => {
      const rt = host.runtime;
      const [ws] = await rt.identity.listWorkspaceIds();
      await rt.engine.workflows.save(ws as string, orderWebhookWorkflow('worker-mode', 'wm'));
      await rt.engine.workflows.setActive(ws as string, 'wm', true);
      await rt.webhooks.sync(ws as string, 'wm');
      expect(rt.worker).toBeUndefined();
      const res = await fetch(`${base}/hooks/worker-mode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customer: 'ada', lines: [{ price: 30, qty: 5 }] }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ customer: 'ada', total: 150, tier: 'large' });
      const id = res.headers.get('x-weft-execution-id') as string;
      expect((await worker.engine.executions.get(ws, id))?.status).toBe('succeeded');
    });
  },
);
