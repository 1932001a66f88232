// The storage benchmarks' shared harness (SQLite and Postgres run the same write pattern and
// queue-latency probe). Not a benchmark itself: scripts/bench.mjs runs only *.bench.mjs.
import { timeOrderedId } from '@weft/engine';

export const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function writePattern(store, total, inFlight = 50) {
  let next = 0;
  const input = { main: [{ json: { orderId: 1, amount: 99.5, customer: { id: 'c1', tier: 'gold' } } }] };
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const id = timeOrderedId();
        const startedAt = Date.now();
        await store.create({
          id,
          workspaceId: 'ws',
          workflowId: 'wf',
          workflowVersion: 1,
          status: 'running',
          mode: 'manual',
          input,
          startedAt,
          depth: 0,
        });
        // What the engine writes for a five-node flow of pure nodes: the runs are held and go
        // with the final status in one checkpoint.
        let items = input.main;
        const runs = [];
        for (let seq = 0; seq < 5; seq++) {
          items = items.map((it) => ({ json: { ...it.json, step: seq } }));
          runs.push({
            executionId: id,
            seq,
            nodeId: `n${seq}`,
            nodeName: `Node ${seq}`,
            runIndex: 0,
            status: 'succeeded',
            attempts: 1,
            input: { main: items },
            output: { main: items },
            startedAt,
            finishedAt: Date.now(),
          });
        }
        await store.checkpoint(id, runs, { status: 'succeeded', output: { main: items }, finishedAt: Date.now() });
      }
    }),
  );
  return total / ((performance.now() - t0) / 1000);
}

export async function queueLatency(queue, n, gapMs = 1) {
  const sent = new Map();
  const lat = [];
  let done = 0;
  const worker = (async () => {
    while (done < n) {
      const got = await queue.claim({ workerId: 'bench', leaseMs: 30_000, max: 10 });
      if (got.length === 0) {
        await queue.waitForJobs(50);
        continue;
      }
      const t = performance.now();
      for (const c of got) {
        lat.push(t - sent.get(c.job.executionId));
        await queue.ack(c);
        done++;
      }
    }
  })();
  for (let i = 0; i < n; i++) {
    const id = `q${i}`;
    sent.set(id, performance.now());
    await queue.enqueue({ workspaceId: 'ws', executionId: id, kind: 'start' });
    await sleep(gapMs);
  }
  await worker;
  return { p50: pct(lat, 50), p99: pct(lat, 99) };
}
