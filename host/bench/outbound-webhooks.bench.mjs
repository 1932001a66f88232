#!/usr/bin/env node
// What the durable outbox costs over sending directly: BENCH_EVENTS (default 500) events published
// to one outbound webhook subscription of a SQLite host (each written to the outbox, claimed under
// a lease, signed, POSTed to a loopback node:http receiver and recorded), against the baseline of
// signing and POSTing the same number of bodies straight to the receiver, 16 at a time (the
// dispatcher's batch). Also the time publish() spends per event, i.e. what the end of an
// execution pays. Medians of BENCH_ROUNDS (default 5) rounds, outbox and baseline alternating.
// Run after `npm run build`: node --no-node-snapshot host/bench/outbound-webhooks.bench.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { createHost, loadConfig } from '../dist/index.js';
import { WebhookReceiver } from '../dist/testing/webhook-receiver.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(join(tmpdir(), 'weft-outbound-bench-'));
const rx = await WebhookReceiver.start();
const config = loadConfig({
  WEFT_DATA_DIR: dir,
  WEFT_PORT: '0',
  WEFT_HOST: '127.0.0.1',
  WEFT_LOG_LEVEL: 'silent',
  WEFT_SEED_EXAMPLES: 'false',
  WEFT_HTTP_ALLOW: '127.0.0.1',
  WEFT_WEBHOOK_OUT_POLL_MS: '1000',
  WEFT_DELIVERY_RETENTION_DAYS: '0',
});
const host = await createHost(config, { logger: pino({ level: 'silent' }), bootstrap: false });
const out = host.runtime.outboundWebhooks;
const { subscription, secret } = await out.create('bench-ws', { name: 'bench', url: rx.url, events: ['*'] });
const signer = new Webhook(secret);

async function waitFor(n) {
  while (rx.received.length < n) await new Promise((r) => setTimeout(r, 2));
}

async function outboxRound() {
  rx.received.length = 0;
  const start = performance.now();
  let publishMs = 0;
  for (let i = 0; i < EVENTS; i++) {
    const t = performance.now();
    await out.publish('bench-ws', 'workflow.activated', { workflowId: `wf-${i}` });
    publishMs += performance.now() - t;
  }
  await waitFor(EVENTS);
  return { totalMs: performance.now() - start, publishUs: (publishMs / EVENTS) * 1000 };
}

async function directRound() {
  rx.received.length = 0;
  const start = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < EVENTS) {
      const i = next++;
      const body = JSON.stringify({ type: 'workflow.activated', timestamp: new Date().toISOString(), data: { i } });
      const id = `msg_${i}`;
      const ts = new Date();
      await fetch(rx.url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(ts.getTime() / 1000)),
          'webhook-signature': signer.sign(id, ts, body),
        },
      }).then((r) => r.text());
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  await waitFor(EVENTS);
  return { totalMs: performance.now() - start };
}

await outboxRound(); // warm-up
await directRound();
const outbox = [];
const direct = [];
const ratios = [];
for (let r = 0; r < ROUNDS; r++) {
  const o = await outboxRound();
  const d = await directRound();
  outbox.push(o);
  direct.push(d);
  ratios.push(o.totalMs / d.totalMs);
}
const row = (name, ms, extra = '') =>
  `${name.padEnd(34)} ${ms.toFixed(0).padStart(8)} ms ${((EVENTS / ms) * 1000).toFixed(0).padStart(8)} /s ${extra}`;
console.log(`${EVENTS} events per round, medians of ${ROUNDS} rounds (SQLite, loopback receiver)`);
console.log(row('direct signed POSTs (baseline)', median(direct.map((d) => d.totalMs))));
console.log(row('outbox: publish -> delivered', median(outbox.map((o) => o.totalMs))));
console.log(`median ratio outbox / direct: ${median(ratios).toFixed(2)}`);
console.log(`publish() per event (execution-end cost): ${median(outbox.map((o) => o.publishUs)).toFixed(0)} µs`);
const log = await out.deliveries('bench-ws', subscription.id, { limit: 1 });
console.log(`last delivery: ${log[0]?.status}, attempts ${log[0]?.attempts}, HTTP ${log[0]?.responseStatus}`);
await host.close();
await rx.close();
rmSync(dir, { recursive: true, force: true });
