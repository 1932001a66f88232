import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceUrl } from '@weft/testing';
import { describe, expect, it } from 'vitest';
import { createTempDatabase } from '../testing/postgres-database.js';

const bin = new URL('../../dist/bin/weft.js', import.meta.url).pathname;
const redis = await serviceUrl('redis');
const pg = await serviceUrl('pg');

async function startAndStop(env: Record<string, string>): Promise<{ code: number | null; out: string; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-start-'));
  const child = spawn(process.execPath, [bin, 'start'], {
    env: { ...process.env, WEFT_DATA_DIR: dir, WEFT_PORT: '0', WEFT_HOST: '127.0.0.1', WEFT_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`weft start did not come up:\n${out}`)), 20_000);
      child.stdout.on('data', () => {
        if (out.includes(' is running at ')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const started = Date.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) =>
      child.once('exit', (c, signal) => resolve(c ?? (signal ? -1 : null))),
    );
    return { code, out, ms: Date.now() - started };
  } finally {
    child.kill('SIGKILL');
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
  }, 40_000);

  it.skipIf(redis.skip)(
    redis.title('exits cleanly on SIGTERM with the Redis queue (no connection left open)'),
    async () => {
      const r = await startAndStop({ WEFT_REDIS_URL: redis.url(), WEFT_REDIS_PREFIX: `weft-start-${Date.now()}` });
      expect(r.out).toContain('queue mode');
      expect(r.code).toBe(0);
      expect(r.ms).toBeLessThan(5000);
    },
    40_000,
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
    40_000,
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
  }, 40_000);
});
