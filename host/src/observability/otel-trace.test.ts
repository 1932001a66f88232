import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Workflow } from '@weft/engine';
import { serviceUrl } from '@weft/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { createHost, type Host } from '../create-host.js';
import { createRuntime, type HostRuntime } from '../runtime/host-runtime.js';
import { type ReceivedSpan, startOtlpReceiver } from '../testing/otlp-receiver.js';
import { createTempDatabase } from '../testing/postgres-database.js';
import { startTracing, type Tracing } from './otel-sdk.js';

const pg = await serviceUrl('pg');
const redis = await serviceUrl('redis');

const SERVER = 2;
const CLIENT = 3;

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let tracing: Tracing | undefined;
let downstream: Server;
let downstreamUrl: string;
const seen: { traceparent: string | undefined }[] = [];
const dir = mkdtempSync(join(tmpdir(), 'weft-otel-'));

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  tracing = await startTracing({
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'weft-test',
    },
  });
  downstream = createServer((req, res) => {
    seen.push({ traceparent: req.headers.traceparent as string | undefined });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"stock":7}');
  });
  await new Promise<void>((r) => downstream.listen(0, '127.0.0.1', r));
  downstreamUrl = `http://127.0.0.1:${(downstream.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await tracing?.shutdown();
  await receiver?.close();
  downstream?.closeAllConnections();
  await new Promise((r) => downstream?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const workflow = (path: string, id: string): Workflow & { id: string } => ({
  id,
  name: 'Traced webhook',
  nodes: [
    {
      id: 'hook',
      name: 'Hook',
      type: 'weft.webhook',
      parameters: { path, methods: ['POST'], responseMode: 'respondNode' },
      position: [0, 0],
    },
    {
      id: 'stock',
      name: 'Check stock',
      type: 'http.request',
      parameters: { method: 'GET', url: `${downstreamUrl}/stock?sku=abc` },
      position: [200, 0],
    },
    {
      id: 'respond',
      name: 'Respond',
      type: 'weft.respondToWebhook',
      parameters: { respondWith: 'firstItem', statusCode: 200 },
      position: [400, 0],
    },
  ],
  connections: [
    { source: 'hook', target: 'stock' },
    { source: 'stock', target: 'respond' },
  ],
});

/** Sends one webhook, waits for its export, and checks the spans form one connected trace. */
async function assertOneConnectedTrace(base: string, rt: HostRuntime, path: string, id: string): Promise<void> {
  const [ws] = await rt.identity.listWorkspaceIds();
  await rt.engine.workflows.save(ws as string, workflow(path, id));
  await rt.engine.workflows.setActive(ws as string, id, true);
  await rt.webhooks.sync(ws as string, id);
  seen.length = 0;
  const res = await fetch(`${base}/hooks/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"order":1}',
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ stock: 7 });
  const executionId = res.headers.get('x-weft-execution-id');

  // The server span ends when the response closes: poll the receiver after flushing.
  let server: ReceivedSpan | undefined;
  for (let i = 0; i < 50 && !server; i++) {
    await tracing?.flush();
    const execution = receiver.spans.find((e) => e.attributes['weft.execution.id'] === executionId);
    server = receiver.spans.find((x) => x.kind === SERVER && x.traceId === execution?.traceId);
    if (!server) await new Promise((r) => setTimeout(r, 50));
  }
  expect(server, 'the webhook request span was exported').toBeDefined();
  const s = server as ReceivedSpan;
  const trace = receiver.spans.filter((x) => x.traceId === s.traceId);
  expect(s).toMatchObject({ name: 'POST /hooks/{path}', service: 'weft-test', parentSpanId: '' });
  expect(s.attributes).toMatchObject({
    'http.request.method': 'POST',
    'http.route': '/hooks/{path}',
    'url.path': '/hooks/{path}',
    'http.response.status_code': 200,
  });

  const execution = trace.find((x) => x.name === 'weft.execution');
  expect(execution?.parentSpanId, 'execution span is a child of the webhook span').toBe(s.spanId);
  expect(execution?.attributes).toMatchObject({
    'weft.execution.id': executionId,
    'weft.workflow.id': id,
    'weft.execution.mode': 'webhook',
    'weft.execution.status': 'succeeded',
  });
  const nodes = trace.filter((x) => x.name.startsWith('weft.node '));
  expect(nodes.map((n) => n.name).sort()).toEqual(['weft.node Check stock', 'weft.node Hook', 'weft.node Respond']);
  for (const n of nodes) expect(n.parentSpanId).toBe(execution?.spanId);
  const stockNode = nodes.find((n) => n.name === 'weft.node Check stock') as ReceivedSpan;
  expect(stockNode.attributes).toMatchObject({ 'weft.node.type': 'http.request', 'weft.node.status': 'succeeded' });

  const client = trace.find((x) => x.kind === CLIENT && x.name === 'GET');
  expect(client?.parentSpanId, 'outbound span is a child of the HTTP Request node span').toBe(stockNode.spanId);
  expect(client?.attributes).toMatchObject({
    'http.request.method': 'GET',
    'server.address': '127.0.0.1',
    'url.full': `${downstreamUrl}/stock`,
    'http.response.status_code': 200,
  });

  expect(seen).toHaveLength(1);
  const [version, traceId, parentId, flags] = (seen[0]?.traceparent ?? '').split('-');
  expect({ version, traceId, parentId, flags }).toEqual({
    version: '00',
    traceId: s.traceId,
    parentId: client?.spanId,
    flags: '01',
  });

  const batches = trace.filter((x) => x.name === 'weft.db.batch');
  expect(batches.length, 'storage batches of this execution are in its trace').toBeGreaterThan(0);
  for (const b of batches) expect(b.attributes['db.operation.batch.size']).toBeGreaterThan(0);
}

describe('OpenTelemetry: one connected trace per webhook', () => {
  it('single process on SQLite: webhook -> execution -> nodes -> outbound request', async () => {
    const config = loadConfig({
      WEFT_DATA_DIR: join(dir, 'sqlite'),
      WEFT_PORT: '0',
      WEFT_HOST: '127.0.0.1',
      WEFT_SEED_EXAMPLES: 'false',
      WEFT_OWNER_EMAIL: 'owner@example.com',
      WEFT_OWNER_PASSWORD: 'owner-password',
      WEFT_HTTP_ALLOW: '127.0.0.1/32',
    });
    const host: Host = await createHost(config, { logger: pino({ level: 'silent' }), announce: () => {} });
    try {
      const base = await host.listen();
      expect(host.runtime.launcher.mode).toBe('direct');
      await assertOneConnectedTrace(base, host.runtime, 'traced-sqlite', 'traced-sqlite');
      const batch = receiver.spans.find((x) => x.name === 'weft.db.batch');
      expect(batch?.attributes['db.system.name']).toBe('sqlite');

      // An API request continues the caller's traceparent and is named after its route template.
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const login = await fetch(`${base}/api/v1/auth/login?next=%2F`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
        body: JSON.stringify({ email: 'owner@example.com', password: 'owner-password' }),
      });
      expect(login.status).toBe(200);
      let api: ReceivedSpan | undefined;
      for (let i = 0; i < 50 && !api; i++) {
        await tracing?.flush();
        api = receiver.spans.find((x) => x.traceId === traceId && x.kind === SERVER);
        if (!api) await new Promise((r) => setTimeout(r, 50));
      }
      expect(api).toMatchObject({ name: 'POST /api/v1/auth/login', parentSpanId: '00f067aa0ba902b7' });
      expect(api?.attributes).toMatchObject({
        'http.route': '/api/v1/auth/login',
        'url.path': '/api/v1/auth/login',
        'http.response.status_code': 200,
      });
    } finally {
      await host.close();
    }
  });

  describe.skipIf(pg.skip || redis.skip)(pg.title(redis.title('queue mode on Postgres + Redis')), () => {
    let db: Awaited<ReturnType<typeof createTempDatabase>>;
    let host: Host;
    let worker: HostRuntime;

    beforeAll(async () => {
      db = await createTempDatabase(pg.url());
      const config = loadConfig({
        WEFT_DATABASE_URL: db.url,
        WEFT_REDIS_URL: redis.url(),
        WEFT_REDIS_PREFIX: `weft-otel-${Date.now().toString(36)}`,
        WEFT_DATA_DIR: join(dir, 'queue'),
        WEFT_PORT: '0',
        WEFT_HOST: '127.0.0.1',
        WEFT_SEED_EXAMPLES: 'false',
        WEFT_OWNER_EMAIL: 'owner@example.com',
        WEFT_OWNER_PASSWORD: 'owner-password',
        WEFT_HTTP_ALLOW: '127.0.0.1/32',
      });
      const logger = pino({ level: 'silent' });
      host = await createHost(config, { logger, worker: false, announce: () => {} });
      worker = await createRuntime(config, { logger });
    });
    afterAll(async () => {
      await host?.close();
      await worker?.close();
      await db?.drop();
    });

    it('the trace context travels with the Redis job to the worker and on to the outbound request', async () => {
      const base = await host.listen();
      expect(host.runtime.launcher.mode).toBe('queue');
      expect(host.runtime.worker).toBeUndefined();
      await assertOneConnectedTrace(base, host.runtime, 'traced-queue', 'traced-queue');
      expect(receiver.spans.some((x) => x.attributes['db.system.name'] === 'postgresql')).toBe(true);
    });
  });
});
