import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkflowEngine } from '@weft/engine';
import { delay } from '@weft/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage } from './sqlite-storage.js';

const here = dirname(fileURLToPath(import.meta.url));
const workerScript = join(here, '../test/kill9-worker.mjs');
const built = join(here, '../dist/index.js');

describe('kill -9 of a worker (SQLite file)', () => {
  const children: ChildProcess[] = [];
  let dir = '';
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('completes all 100 executions after a restart: none lost, no checkpointed node run twice', async () => {
    if (!existsSync(built)) throw new Error(`${built} is missing: build first (npx tsc -b adapters/sqlite)`);
    dir = mkdtempSync(join(tmpdir(), 'weft-kill9-'));
    const filename = join(dir, 'weft.db');
    const logFile = join(dir, 'effects.log');
    const storage = await createSqliteStorage({ filename });
    const nodes = ['a', 'b', 'c', 'd'];
    await storage.workflows.save('ws', {
      id: 'wf',
      name: 'Four effects',
      nodes: [
        { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
        ...nodes.map((id) => ({ id, name: `Effect ${id}`, type: 'test.effect', parameters: {} })),
      ],
      connections: [
        { source: 'start', target: 'a' },
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
        { source: 'c', target: 'd' },
      ],
    });
    const engine = new WorkflowEngine({
      workflows: storage.workflows,
      executions: storage.executions,
      queue: storage.queue,
    });
    const ids: string[] = [];
    for (let i = 0; i < 100; i++)
      ids.push((await engine.enqueue('ws', 'wf', { input: [{ json: { i } }] })).executionId);

    const startWorker = async () => {
      const child = spawn(process.execPath, [workerScript, filename, logFile], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.stdout?.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
      });
      return child;
    };
    const lines = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean) : []);
    const succeeded = async () =>
      (await storage.executions.list('ws', { status: ['succeeded'], limit: 1000 })).items.length;

    const first = await startWorker();
    const deadline = Date.now() + 20_000;
    while (lines().length < 120 && Date.now() < deadline) await delay(5);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const doneAtKill = await succeeded();
    expect(doneAtKill).toBeLessThan(100);

    const second = await startWorker();
    while ((await succeeded()) < 100 && Date.now() < deadline + 20_000) await delay(50);
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));

    expect(await succeeded()).toBe(100);
    for (const id of ids) {
      const runs = await storage.executions.listNodeRuns(id);
      expect(runs.map((r) => r.nodeId)).toEqual(['start', ...nodes]);
    }
    const byPair = new Map<string, string[]>();
    for (const line of lines()) {
      const [exec, node, pid] = line.split(' ') as [string, string, string];
      byPair.set(`${exec} ${node}`, [...(byPair.get(`${exec} ${node}`) ?? []), pid]);
    }
    expect(byPair.size).toBe(400);
    const repeated = [...byPair.values()].filter((pids) => pids.length > 1);
    // Only a node that was mid-run when the first worker died may run again (its checkpoint was
    // never written): at most one per execution in flight (concurrency 10), first in the dead
    // worker, then in the new one.
    expect(repeated.length).toBeLessThanOrEqual(10);
    for (const pids of repeated) expect(pids).toEqual([String(first.pid), String(second.pid)]);
    console.info(`kill -9: ${doneAtKill}/100 done at the kill, ${repeated.length} uncheckpointed node runs repeated`);
    await storage.close();
  }, 60_000);
});
