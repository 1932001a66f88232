// Benchmarks of the outbound path and the vault, each with a baseline measured in the same run:
// raw undici fetch vs the safe HTTP client against a local server, AES-GCM vault create/resolve,
// and redaction. Run with `npm run bench -- connectors` (builds first).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { fetch as undiciFetch } from 'undici';
import {
  AddressPolicy,
  CredentialVault,
  createHttpClient,
  MemoryCredentialRecordStore,
  Redactor,
} from '../dist/index.js';

async function measure(name, n, fn, concurrency = 1) {
  for (let i = 0; i < Math.min(50, n); i++) await fn(i);
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  const ms = performance.now() - t0;
  return {
    name,
    n,
    concurrency,
    opsPerSec: Math.round((n / ms) * 1000),
    usPerOp: Math.round((ms / n) * 1000 * 10) / 10,
  };
}

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true,"items":[1,2,3]}');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/x`;
const http = createHttpClient({ allow: ['127.0.0.1/32'] });
const signed = http.withSigner({ key: 'cred:1', sign: (r) => r.headers.set('authorization', 'Bearer t') });

const rows = [];
// Warm every path first so the first row measured is not the cold one.
for (let i = 0; i < 300; i++)
  await Promise.all([undiciFetch(url).then((r) => r.json()), http.request({ url }), signed.request({ url })]);
for (const c of [1, 20]) {
  rows.push(await measure('undici fetch (baseline)', 3000, async () => (await undiciFetch(url)).json(), c));
  rows.push(await measure('safe client request', 3000, () => http.request({ url }), c));
  rows.push(await measure('safe client + signer', 3000, () => signed.request({ url }), c));
}
server.close();

const store = new MemoryCredentialRecordStore();
const vault = new CredentialVault({ store, masterKeys: [{ id: 'k', key: new Uint8Array(randomBytes(32)) }] });
const ids = [];
rows.push(
  await measure('JSON.stringify+parse of the data (baseline)', 20000, () =>
    JSON.parse(JSON.stringify({ token: 'x'.repeat(40), i: 1 })),
  ),
);
rows.push(
  await measure('vault.create (encrypt + store)', 20000, async (i) => {
    ids.push(
      (
        await vault.create({
          workspaceId: 'ws',
          type: 't',
          name: `c${i}`,
          data: { token: `secret-${i}-${'x'.repeat(30)}` },
        })
      ).id,
    );
  }),
);
rows.push(
  await measure('vault.resolve (decrypt)', 20000, (i) =>
    vault.resolve({ workspaceId: 'ws', credentialId: ids[i % ids.length], nodeType: 'x.y' }),
  ),
);

const payload = {
  items: Array.from({ length: 100 }, (_, i) => ({
    id: i,
    text: `hello world ${i}`,
    nested: { url: `https://x/${i}` },
  })),
};
const redactor = new Redactor(Array.from({ length: 20 }, (_, i) => `secret-value-${i}`));
rows.push(await measure('structuredClone 100-item payload (baseline)', 2000, () => structuredClone(payload)));
rows.push(await measure('redact 100-item payload, 20 secrets', 2000, () => redactor.redact(payload)));
const node = new Redactor([`tok_${randomBytes(12).toString('hex')}`]);
rows.push(
  await measure('redact 100-item node output, 1 credential (values only)', 2000, () =>
    node.redact(payload, { keys: false }),
  ),
);
const line = JSON.stringify({
  level: 30,
  time: Date.now(),
  reqId: randomBytes(16).toString('hex'),
  url: '/hooks/orders',
  status: 202,
  msg: 'request',
});
const known = new Redactor(Array.from({ length: 20000 }, (_, i) => `secret-value-${i}-${'x'.repeat(12)}`));
rows.push(await measure('redact a log line, vault knows 20k secrets', 100000, () => known.redact(line)));
const policy = new AddressPolicy({ allow: ['127.0.0.1/32'] });
rows.push(
  await measure('AddressPolicy.check', 200000, (i) => policy.check('h', i % 2 ? '8.8.8.8' : '::ffff:10.0.0.1')),
);

console.table(rows);
