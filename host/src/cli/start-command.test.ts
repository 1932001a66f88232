import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceUrl } from '@weft/testing';
import { describe, expect, it } from 'vitest';
import { createTempDatabase } from '../testing/postgres-database.js';

// The committed launcher npm links as `weft` (it loads the built CLI from dist/).
const bin = new URL('../../bin/weft.js', import.meta.url).pathname;
const redis = await serviceUrl('redis');
const pg = await serviceUrl('pg');

interface Launched {
  child: ChildProcessWithoutNullStreams;
  /** Where the host listens, from its "is running at" line. */
  url: string;
  output: () => string;
}

/** Runs `weft start` as a supervisor would (no node flags) and waits until it serves. */
async function launch(dir: string, env: Record<string, string>): Promise<Launched> {
  const base = { ...process.env };
  delete base.WEFT_ISOLATE_FLAGS_RELAUNCHED;
  delete base.NODE_OPTIONS;
  const child = spawn(process.execPath, [bin, 'start'], {
    env: { ...base, WEFT_DATA_DIR: dir, WEFT_PORT: '0', WEFT_HOST: '127.0.0.1', WEFT_LOG_LEVEL: 'warn', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`weft start did not come up:\n${out}`)), 60_000);
    child.stdout.on('data', () => {
      const m = out.match(/ is running at (\S+) /);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
  });
  return { child, url, output: () => out };
}

/** Alive and not a zombie (an orphan that exited may wait for a reaper that never comes). */
function running(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
  return state !== 'Z' && state !== 'X';
}

function childrenOf(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [];
}

async function until(check: () => Promise<boolean>, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const listening = (url: string) =>
  fetch(`${url}/healthz`).then(
    () => true,
    () => false,
  );

async function startAndStop(env: Record<string, string>): Promise<{ code: number | null; out: string; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-start-'));
  let launched: Launched | undefined;
  try {
    launched = await launch(dir, env);
    const { child } = launched;
    const started = Date.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) =>
      child.once('exit', (c, signal) => resolve(c ?? (signal ? -1 : null))),
    );
    return { code, out: launched.output(), ms: Date.now() - started };
  } finally {
    launched?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('weft start', () => {
  it('prints the first-run sign-up link, serves, and exits cleanly on SIGTERM (SQLite)', async () => {
    const r = await startAndStop({});
    expect(r.out).toContain('First run: create the owner account');
    expect(r.out).toMatch(/signup\?token=wsu_/);
    expect(r.out).toContain('single process, SQLite');
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(5000);
  }, 120_000);

  it.skipIf(redis.skip)(
    redis.title('exits cleanly on SIGTERM with the Redis queue (no connection left open)'),
    async () => {
      const r = await startAndStop({ WEFT_REDIS_URL: redis.url(), WEFT_REDIS_PREFIX: `weft-start-${Date.now()}` });
      expect(r.out).toContain('queue mode');
      expect(r.code).toBe(0);
      expect(r.ms).toBeLessThan(5000);
    },
    120_000,
  );

  it.skipIf(pg.skip)(
    pg.title('starts on Postgres from WEFT_DATABASE_URL and exits cleanly'),
    async () => {
      const db = await createTempDatabase(pg.url());
      try {
        const r = await startAndStop({ WEFT_DATABASE_URL: db.url });
        expect(r.out).toContain('queue mode');
        expect(r.code).toBe(0);
      } finally {
        await db.drop();
      }
    },
    120_000,
  );

  it('reports a port in use, names the setting, and exits', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const dir = mkdtempSync(join(tmpdir(), 'weft-start-'));
    try {
      const child = spawn(process.execPath, [bin, 'start'], {
        env: {
          ...process.env,
          WEFT_DATA_DIR: dir,
          WEFT_PORT: String(port),
          WEFT_HOST: '127.0.0.1',
          WEFT_LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
      });
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      expect(code).toBe(1);
      expect(err).toContain(`Port ${port} is already in use; set WEFT_PORT`);
    } finally {
      blocker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it.skipIf(process.platform !== 'linux')(
    'kill -9 of the pid a supervisor holds leaves no server behind (the relaunched child exits)',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'weft-start-'));
      const { child, url } = await launch(dir, {});
      const servers = childrenOf(child.pid as number);
      try {
        expect(servers).toHaveLength(1);
        expect(await listening(url)).toBe(true);
        child.kill('SIGKILL');
        await until(async () => !(await listening(url)), 'nothing listens any more');
        await until(async () => !servers.some(running), 'the relaunched server has exited');
      } finally {
        for (const pid of servers) if (running(pid)) process.kill(pid, 'SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );

  it.skipIf(process.platform !== 'linux')(
    'with NODE_OPTIONS=--no-node-snapshot the launched pid is the server itself',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'weft-start-'));
      const { child, url } = await launch(dir, { NODE_OPTIONS: '--no-node-snapshot' });
      try {
        expect(childrenOf(child.pid as number)).toEqual([]);
        child.kill('SIGKILL');
        await until(async () => !(await listening(url)), 'nothing listens any more');
      } finally {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
