import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalPgBouncer, localBinaryGate, pgBouncerBinary, serviceUrl, startPgBouncer } from '@weft/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { createHost, type Host } from '../create-host.js';
import { createTempDatabase } from '../testing/postgres-database.js';
import { orderWebhookWorkflow } from '../workflows/example-workflows.js';
import { createRuntime, type HostRuntime } from './host-runtime.js';

const pg = await serviceUrl('pg');
const gate = localBinaryGate('pgbouncer', pgBouncerBinary);

describe.skipIf(pg.skip || gate.skip)(
  pg.title(gate.title('host behind PgBouncer (transaction mode): Postgres-only queue mode, API process + worker')),
  () => {
    let bouncer: LocalPgBouncer;
    let db: Awaited<ReturnType<typeof createTempDatabase>>;
    let host: Host;
    let worker: HostRuntime;
    let base: string;
    const dir = mkdtempSync(join(tmpdir(), 'weft-pgbouncer-host-'));

    beforeAll(async () => {
      [bouncer, db] = await Promise.all([
        startPgBouncer({ targetUrl: pg.url(), poolSize: 8 }),
        createTempDatabase(pg.url()),
      ]);
      const config = loadConfig({
        WEFT_DATABASE_URL: bouncer.url(db.url),
        // LISTEN (queue wake-ups, execution ends) and session advisory locks bypass the pooler.
        WEFT_DATABASE_DIRECT_URL: db.url,
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
    }, 60_000);
    afterAll(async () => {
      await host?.close();
      await worker?.close();
      await db?.drop();
      await bouncer?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('answers webhooks with what the worker computed, the wait ended by a notice on the direct connection', async () => {
      const rt = host.runtime;
      const [ws] = await rt.identity.listWorkspaceIds();
      await rt.engine.workflows.save(ws as string, orderWebhookWorkflow('bounced', 'b'));
      await rt.engine.workflows.setActive(ws as string, 'b', true);
      await rt.webhooks.sync(ws as string, 'b');
      expect(rt.worker).toBeUndefined();
      const responses = await Promise.all(
        Array.from({ length: 20 }, async (_, n) => {
          const res = await fetch(`${base}/hooks/bounced`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ customer: `c${n}`, lines: [{ price: 20, qty: n }] }),
          });
          return { n, status: res.status, body: await res.json(), id: res.headers.get('x-weft-execution-id') };
        }),
      );
      for (const r of responses) {
        expect(r.status).toBe(200);
        expect(r.body).toEqual({ customer: `c${r.n}`, total: 20 * r.n, tier: 20 * r.n >= 100 ? 'large' : 'small' });
        expect((await worker.engine.executions.get(ws as string, r.id as string))?.status).toBe('succeeded');
      }
      // Each runtime's LISTEN session went to the server directly, named weft-listener:<channel>.
      const { default: pgClient } = await import('pg');
      const admin = new pgClient.Client({ connectionString: db.url });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ n: string }>(
          "select count(*) as n from pg_stat_activity where datname = current_database() and application_name like 'weft-listener:%'",
        );
        expect(Number(rows[0]?.n)).toBeGreaterThanOrEqual(2); // one direct LISTEN session per runtime
      } finally {
        await admin.end();
      }
    });
  },
);
