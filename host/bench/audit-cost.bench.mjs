#!/usr/bin/env node
// What writing the audit log costs (issue 13: <= 3% on the webhook bench). Two hosts on SQLite in
// this process, identical but for their audit store: the shipped one (SqlAuditStore: hash chain
// over RFC 8785 JSON with SHA-256, in the transaction of the change) and one that records nothing
// (createHost's `auditStore` option), loaded in alternating rounds from a second process.
//  1. The webhook bench flow (webhook -> code -> if -> set -> respond, every execution persisted).
//     Webhook-triggered runs write no audit entries by design, so this shows the audit code on
//     the request path costs nothing there.
//  2. An audited API mutation: PATCH renaming a credential (the row's update and its
//     `credential.update` entry in the same transaction), to show what one entry costs per request.
// Server CPU per request is the robust figure on a shared machine; req/s is printed beside it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchEnv, cpuUs, load, median, pad, setUpOrderWebhook } from './bench-lib.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Connections renaming the credential at once (SQLite takes one writer at a time). */
const PATCH_CONNECTIONS = 10;
const TARGET = 0.03;

/** An audit store that keeps nothing: no sealing, no hashing, no row. */
class NoAuditStore {
  async append(workspaceId) {
    // Position 1: never a checkpoint position, so nothing is signed either.
    return { workspaceId, seq: 0, position: 1, prevHash: '', hash: '' };
  }
  async head() {
    return { position: 0, hash: '' };
  }
  async list() {
    return [];
  }
  async walk() {
    return [];
  }
  async addCheckpoint() {}
  async checkpoints() {
    return [];
  }
  async workspaces() {
    return [];
  }
}

await main();

async function startHost({ createHost, loadConfig }, options) {
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-audit-'));
  const env = benchEnv(dir, { WEFT_RATE_LIMIT_WORKSPACE: '1000000000', WEFT_RATE_LIMIT_API_KEY: '1000000000' });
  const host = await createHost(loadConfig(env), { announce: () => {}, ...options });
  const base = await host.listen();
  const { url, ws } = await setUpOrderWebhook(base);
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password' }),
  });
  const { accessToken } = await login.json();
  // The audited request: renaming a credential (the row's update and its `credential.update`
  // entry in one transaction), a small write, so the entry's share of it shows.
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` };
  const created = await fetch(`${base}/api/v1/workspaces/${ws}/credentials`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ type: 'http.bearer', name: 'bench', data: { token: 'bench-secret-token' } }),
  });
  if (!created.ok) throw new Error(`POST credentials: ${created.status} ${await created.text()}`);
  const credUrl = `${base}/api/v1/workspaces/${ws}/credentials/${(await created.json()).id}`;
  const body = JSON.stringify({ name: 'bench renamed' });
  const check = await fetch(credUrl, { method: 'PATCH', headers, body });
  if (!check.ok) throw new Error(`PATCH ${credUrl}: ${check.status} ${await check.text()}`);
  return {
    host,
    ws,
    dir,
    webhook: { url },
    patch: { url: credUrl, request: { method: 'PATCH', headers, body, connections: PATCH_CONNECTIONS } },
  };
}

async function auditRows(host) {
  const r = await host.runtime.h.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('action', '=', 'credential.update')
    .executeTakeFirst();
  return Number(r.n);
}

async function main() {
  const weft = await import('../dist/index.js');
  const on = await startHost(weft, {});
  const off = await startHost(weft, { auditStore: () => new NoAuditStore() });
  const parts = [
    ['webhook flow (no entries by design)', 'webhook'],
    ['PATCH credential (1 entry per request)', 'patch'],
  ];
  const hosts = [
    ['audit on (as shipped)', on],
    ['audit off (store keeps nothing)', off],
  ];
  for (const [, key] of parts)
    for (const [, h] of hosts) await load(h[key].url, WARMUP_S, undefined, undefined, h[key].request);
  const auditBefore = await auditRows(on.host);
  // The machine may be shared: alternate on and off over several rounds and take each one's
  // median, so a burst of outside load does not land on one side only.
  const runs = new Map();
  for (let round = 0; round < ROUNDS; round++)
    for (const [, key] of parts)
      for (const [name, h] of round % 2 ? [...hosts].reverse() : hosts) {
        // Both hosts live in this process and the load runs elsewhere, so this process's CPU per
        // request is what serving one costs, whatever else the machine is doing.
        const cpu0 = cpuUs();
        const r = await load(h[key].url, DURATION_S, undefined, undefined, h[key].request);
        const id = `${key}|${name}`;
        runs.set(id, [...(runs.get(id) ?? []), { ...r, cpuUs: (cpuUs() - cpu0) / Math.max(1, r.total) }]);
      }
  const written = (await auditRows(on.host)) - auditBefore;
  const offRows = await auditRows(off.host);

  console.log(
    `${pad('scenario', 40)}${pad('audit', 33)}${pad('req/s', 8)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('errors', 8)}${pad('CPU µs/req', 12)}cost`,
  );
  const verdicts = [];
  for (const [part, key] of parts) {
    const rows = hosts.map(([name]) => {
      const rs = runs.get(`${key}|${name}`);
      return {
        name,
        rps: median(rs.map((r) => r.rps)),
        p50: median(rs.map((r) => r.p50)),
        p99: median(rs.map((r) => r.p99)),
        cpuUs: median(rs.map((r) => r.cpuUs)),
        errors: rs.reduce((s, r) => s + r.errors, 0),
      };
    });
    const [audited, baseline] = rows;
    const cpuCost = audited.cpuUs / baseline.cpuUs - 1;
    const rpsCost = 1 - audited.rps / baseline.rps;
    for (const r of rows) {
      const cost =
        r === baseline ? 'baseline' : `${(cpuCost * 100).toFixed(1)}% CPU, ${(rpsCost * 100).toFixed(1)}% req/s`;
      console.log(
        `${pad(part, 40)}${pad(r.name, 33)}${pad(Math.round(r.rps), 8)}${pad(r.p50, 8)}${pad(r.p99, 8)}${pad(r.errors, 8)}${pad(Math.round(r.cpuUs), 12)}${cost}`,
      );
    }
    verdicts.push({ part, key, audited, baseline, cpuCost, rpsCost });
  }
  const [hook, patch] = verdicts;
  console.log(
    `\n${written} credential.update entries written by the audited host during the rounds, ${offRows} by the other; median of ${ROUNDS} alternating rounds of ${DURATION_S} s, 50 connections (PATCH: ${PATCH_CONNECTIONS})`,
  );
  console.log(
    `one audit entry: ${Math.round(patch.audited.cpuUs - patch.baseline.cpuUs)} µs of server CPU per PATCH (${(patch.cpuCost * 100).toFixed(1)}% of the request)`,
  );
  console.log(
    `target: audit writing <= ${TARGET * 100}% on the webhook bench (${hook.cpuCost <= TARGET ? 'met' : 'MISSED'}: ${(hook.cpuCost * 100).toFixed(1)}% CPU per request)`,
  );
  await perEntry(on.host);
  for (const h of [on, off]) {
    await h.host.close();
    rmSync(h.dir, { recursive: true, force: true });
  }
}

/**
 * Where one entry's cost goes, without HTTP: appending entries one after another to a chain of
 * their own on the audited host's database (seal + 4 statements in a transaction) beside sealing
 * them only (RFC 8785 JSON + SHA-256 of the link), CPU µs per entry, alternating rounds.
 */
async function perEntry(host) {
  const { AuditLog } = await import('@weft/compliance');
  const { SqlAuditStore } = await import('@weft/sql');
  const N = 500;
  const entry = (i) => ({
    workspaceId: 'bench-per-entry',
    actor: { type: 'user', id: 'c24b1c24-93a5-438c-961f-836ead459351' },
    action: 'credential.update',
    resource: { type: 'credential', id: `cred-${i}` },
    outcome: 'success',
    at: Date.now(),
    ip: '127.0.0.1',
    userAgent: 'autocannon',
    requestId: `urn:weft:request:${i}`,
    changes: { name: 'bench renamed', httpStatus: 200 },
  });
  let head = { position: 0, hash: '' };
  const sealOnly = {
    async append(_workspaceId, seal) {
      const e = await seal(head);
      head = { position: e.position, hash: e.hash };
      return { ...e, seq: 0 };
    },
  };
  const logs = [
    ['seal only (RFC 8785 JSON + SHA-256)', new AuditLog({ store: sealOnly, checkpointEvery: 1e9 })],
    [
      'seal + store (SqlAuditStore, SQLite)',
      new AuditLog({ store: new SqlAuditStore(host.runtime.h), checkpointEvery: 1e9 }),
    ],
  ];
  const runs = logs.map(() => []);
  for (let round = 0; round < ROUNDS; round++)
    for (const [i, [, log]] of logs.entries()) {
      const cpu0 = cpuUs();
      for (let k = 0; k < N; k++) await log.append(entry(k));
      runs[i].push((cpuUs() - cpu0) / N);
    }
  console.log(`\n${pad('one entry, appended alone', 40)}CPU µs/entry (median of ${ROUNDS} rounds of ${N})`);
  for (const [i, [name]] of logs.entries()) console.log(`${pad(name, 40)}${Math.round(median(runs[i]))}`);
}
