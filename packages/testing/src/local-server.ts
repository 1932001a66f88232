import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, chownSync, constants, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Whether a suite that starts its own server from a local binary (redis-server, postgres,
 * pgbouncer) runs: skipped with the reason when the binary is missing, failing instead when
 * `WEFT_REQUIRE_SERVICES=1`.
 *
 * @example
 * ```ts
 * const gate = localBinaryGate('pgbouncer', findBinary('pgbouncer'));
 * describe.skipIf(gate.skip)(gate.title('through PgBouncer'), () => {});
 * ```
 */
export interface LocalBinaryGate {
  skip: boolean;
  reason: string;
  title(base: string): string;
}

/** See {@link LocalBinaryGate}; `path` is what {@link findBinary} found (undefined when missing). */
export function localBinaryGate(
  name: string,
  path: string | undefined,
  env: Record<string, string | undefined> = process.env,
): LocalBinaryGate {
  const required = env.WEFT_REQUIRE_SERVICES === '1';
  let reason = path ? '' : `${name} is not installed (apt-get install ${name === 'postgres' ? 'postgresql' : name})`;
  if (reason && required) reason = `${reason}, and WEFT_REQUIRE_SERVICES=1 makes it mandatory`;
  const skip = reason !== '' && !required;
  return { skip, reason, title: (base) => (skip ? `${base} (skipped: ${reason})` : base) };
}

/**
 * The first executable named `name` on `PATH` or in `extraDirs` (searched first, in order).
 *
 * @example
 * ```ts
 * const redisServer = findBinary('redis-server'); // '/usr/bin/redis-server' or undefined
 * ```
 */
export function findBinary(name: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...extraDirs, ...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** The bin directories of installed Debian PostgreSQL versions, newest first. */
export function postgresBinDirs(): string[] {
  try {
    return readdirSync('/usr/lib/postgresql')
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => `/usr/lib/postgresql/${v}/bin`);
  } catch {
    return [];
  }
}

/**
 * A TCP port free on 127.0.0.1 right now (the OS picks it).
 *
 * @example
 * ```ts
 * const port = await freePort();
 * ```
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Who a server runs as: Postgres and PgBouncer refuse root, so under root they run as the `postgres` user. */
export interface RunAs {
  uid: number;
  gid: number;
}

/** `postgres`'s uid/gid when this process is root, else undefined (run as ourselves). */
export async function unprivilegedUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    run('id', ['-u', 'postgres']),
    run('id', ['-g', 'postgres']),
  ]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/**
 * A temp directory for one server's files, owned by `user` when given; `remove()` deletes it.
 *
 * @example
 * ```ts
 * const dir = tempDir('weft-redis-cluster-');
 * dir.remove();
 * ```
 */
export function tempDir(prefix: string, user?: RunAs): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  if (user) chownSync(path, user.uid, user.gid);
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A server process started by {@link startProcess}. */
export interface LocalProcess {
  child: ChildProcess;
  /** What it printed so far (stdout and stderr), for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns a long-running server, capturing its output (the last 20 kB) for error messages.
 *
 * @example
 * ```ts
 * const redis = startProcess('/usr/bin/redis-server', ['--port', String(port)]);
 * await redis.stop();
 * ```
 */
export function startProcess(
  command: string,
  args: string[],
  options: { cwd?: string; user?: RunAs } = {},
): LocalProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (error) => keep(Buffer.from(`spawn failed: ${error.message}\n`)));
  // A test process that ends without its afterAll (timeout, crash) must not leave the server running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  child.once('exit', () => process.off('exit', killOnExit));
  return {
    child,
    output: () => log,
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Calls `probe` until it resolves truthy, failing after `timeoutMs` with `what` and the last error.
 *
 * @example
 * ```ts
 * await waitUntil('redis answers PING', async () => (await ping(port)) === 'PONG');
 * ```
 */
export async function waitUntil(what: string, probe: () => Promise<unknown>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      if (await probe()) return;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** Runs a short command to completion; its stdout. Errors carry stderr. */
export async function runCommand(command: string, args: string[], user?: RunAs): Promise<string> {
  try {
    const { stdout } = await run(command, args, {
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      timeout: 120_000,
    });
    return stdout;
  } catch (error) {
    const e = error as Error & { stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`, { cause: error });
  }
}
