// What the webhook benches share: the reference request body, the load generator (autocannon in a
// child process of its own, so it never shares a server's event loop), a bare Express handler
// doing the reference flow's computation, setting up the reference workflow on a host, process CPU
// sampling and the median. Run as a script with `load` this file is the load child itself.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Keep-alive connections autocannon opens. */
export const CONNECTIONS = 50;

/** The reference order webhook body; the flow answers `{ customer, total: 136.5, tier: 'large' }`. */
export const ORDER_BODY = JSON.stringify({
  customer: 'ada',
  lines: [
    { price: 60, qty: 2 },
    { price: 5.5, qty: 3 },
  ],
});

const SELF = fileURLToPath(import.meta.url);

/** The median of a list of numbers (the upper one of an even count). */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `String(v)` padded to `n` characters, for the plain-text tables. */
export const pad = (v, n) => String(v).padEnd(n);

/** This process's CPU time so far, user + system, in microseconds. */
export function cpuUs() {
  const c = process.cpuUsage();
  return c.user + c.system;
}

const CLK_TCK = 100; // USER_HZ on Linux

/** Another process's CPU time so far (user + system) in milliseconds, from /proc; undefined once it is gone. */
export function procCpuMs(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const parts = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return ((Number(parts[11]) + Number(parts[12])) / CLK_TCK) * 1000;
  } catch {
    return undefined;
  }
}

/**
 * Loads `url` with POSTs of {@link ORDER_BODY} from a child process for `duration` seconds, or for
 * `amount` requests when given; as fast as the server answers, or at `rate` requests per second
 * when given. `request` replaces the method, headers or body (e.g. an authenticated PUT). Resolves
 * `{ rps, p50, p99, errors, total }` (errors counts socket errors, non-2xx answers and timeouts).
 */
export function load(url, duration, amount, rate, request = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, ['load'], { stdio: 'inherit' });
    child.once('message', (m) => {
      child.kill();
      resolve(m);
    });
    child.once('error', reject);
    child.send({ url, duration, amount, rate, request });
  });
}

async function loadChild() {
  const { default: autocannon } = await import('autocannon');
  process.on('message', async ({ url, duration, amount, rate, request }) => {
    const r = await autocannon({
      url,
      connections: CONNECTIONS,
      ...(amount ? { amount } : { duration }),
      ...(rate ? { overallRate: rate } : {}),
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: ORDER_BODY,
      ...request,
    });
    process.send({
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: r.errors + r.non2xx + r.timeouts,
      total: r.requests.total,
    });
  });
}

/** A bare Express 5 handler doing the reference flow's computation on loopback: `{ url, close }`. */
export async function serveBare() {
  const express = (await import('express')).default;
  const app = express();
  app.use(express.json());
  app.post('/orders', (req, res) => {
    const lines = req.body?.lines ?? [];
    const total = lines.reduce((s, l) => s + l.price * l.qty, 0);
    res.json({ customer: req.body?.customer ?? null, total, tier: total >= 100 ? 'large' : 'small' });
  });
  const server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/orders`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The host environment the benches start from: loopback, any port, quiet, an owner to sign in as. */
export function benchEnv(dataDir, extra = {}) {
  return {
    WEFT_DATA_DIR: dataDir,
    WEFT_PORT: '0',
    WEFT_HOST: '127.0.0.1',
    WEFT_LOG_LEVEL: 'warn',
    WEFT_SEED_EXAMPLES: 'false',
    WEFT_OWNER_EMAIL: 'bench@example.com',
    WEFT_OWNER_PASSWORD: 'bench-password',
    ...extra,
  };
}

/**
 * Signs in to the host at `base` as the bench owner, saves and activates the reference order
 * webhook workflow through the REST API, and checks one answer. Resolves the webhook URL and the
 * workspace id.
 */
export async function setUpOrderWebhook(base) {
  const { orderWebhookWorkflow } = await import('../dist/index.js');
  const call = async (path, init = {}) => {
    const res = await fetch(`${base}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  };
  const session = await call('/api/v1/auth/login', {
    method: 'POST',
    body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password' }),
  });
  const auth = { authorization: `Bearer ${session.accessToken}` };
  const { items } = await call('/api/v1/workspaces', { headers: auth });
  const ws = items[0].id;
  await call(`/api/v1/workspaces/${ws}/workflows`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify(orderWebhookWorkflow('bench/orders', 'bench')),
  });
  await call(`/api/v1/workspaces/${ws}/workflows/bench/activate`, { method: 'POST', headers: auth });
  const url = `${base}/hooks/bench/orders`;
  await checkOrderAnswer(url);
  return { url, ws };
}

/** Posts {@link ORDER_BODY} to `url` once and throws unless the reference answer comes back. */
export async function checkOrderAnswer(url) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: ORDER_BODY });
  const answer = await res.json();
  if (answer.total !== 136.5 || answer.tier !== 'large')
    throw new Error(`unexpected webhook answer ${res.status} ${JSON.stringify(answer)}`);
}

/**
 * Forks `script` with `args` as a server process (with `--no-node-snapshot`, which isolated-vm
 * needs) and returns `{ child, next(), ask(message) }`: `ask` sends a message and resolves the
 * child's next reply, `next` waits for a reply without sending.
 */
export function spawnChild(script, args, options = {}) {
  const child = fork(script, args, { stdio: 'inherit', execArgv: ['--no-node-snapshot'], ...options });
  const waiting = [];
  child.on('message', (m) => waiting.shift()?.resolve(m));
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`${script} ${args.join(' ')} exited with ${code}`));
  });
  const next = () => new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  return {
    child,
    next,
    ask: (message) => {
      const reply = next();
      child.send(message);
      return reply;
    },
  };
}

if (process.argv[1] === SELF && process.argv[2] === 'load') await loadChild();
