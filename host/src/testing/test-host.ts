import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redactor } from '@weft/connectors';
import pino, { type DestinationStream } from 'pino';
import { loadConfig } from '../config/load-config.js';
import { type CreateHostOptions, createHost, type Host } from '../create-host.js';
import { createHostLogger } from '../runtime/host-logger.js';

/** A response as tests see it. */
export interface TestResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary JSON
  body: any;
  text: string;
}

/** A host listening on loopback with helpers to call it. */
export interface TestHost {
  host: Host;
  base: string;
  /** The announcement lines (first-run sign-up link). */
  announced: string[];
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<TestResponse>;
  /** Signs in and returns the access token. */
  login(email: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts a host on a free loopback port with a throwaway data directory (SQLite) or the given
 * database URL, an owner `owner@example.com` / `owner-password` and no examples unless asked.
 * Logs are dropped, unless `log` is given: then the host's own logger (redaction included)
 * writes its `info` lines there. `worker: false` runs no queue worker (a test claims the jobs).
 *
 * @example
 * ```ts
 * const t = await startTestHost();
 * const token = await t.login('owner@example.com', 'owner-password');
 * ```
 */
export async function startTestHost(
  env: Record<string, string> = {},
  options: { keepDir?: boolean; log?: DestinationStream; worker?: boolean } & Pick<
    CreateHostOptions,
    'auditStore'
  > = {},
): Promise<TestHost> {
  const dir = env.WEFT_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'weft-host-test-'));
  const config = loadConfig({
    WEFT_DATA_DIR: dir,
    WEFT_PORT: '0',
    WEFT_HOST: '127.0.0.1',
    WEFT_LOG_LEVEL: 'silent',
    WEFT_SEED_EXAMPLES: 'false',
    WEFT_OWNER_EMAIL: 'owner@example.com',
    WEFT_OWNER_PASSWORD: 'owner-password',
    WEFT_SHUTDOWN_GRACE_MS: '2000',
    ...env,
  });
  const announced: string[] = [];
  const redactor = new Redactor();
  const logger = options.log
    ? createHostLogger({ level: 'info', redactor, destination: options.log })
    : pino({ level: 'silent' });
  const host = await createHost(config, {
    logger,
    redactor,
    announce: (l) => announced.push(l),
    ...(options.worker === false ? { worker: false } : {}),
    ...(options.auditStore ? { auditStore: options.auditStore } : {}),
  });
  const base = await host.listen();
  const call: TestHost['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined = options.raw;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${base}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, headers: res.headers, body, text };
  };
  return {
    host,
    base,
    announced,
    call,
    async login(email, password) {
      const r = await call('POST', '/api/v1/auth/login', { body: { email, password } });
      if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
      return r.body.accessToken as string;
    },
    async close() {
      await host.close();
      if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
