import { spawn } from 'node:child_process';

/**
 * The Node.js flags isolated-vm needs on Node 20 and later. Node 20 builds its own isolates from a
 * startup snapshot and V8 shares read-only heap data between isolates; isolates that isolated-vm
 * creates without a snapshot can then crash the whole process (SIGSEGV in V8's
 * `SharedHeapDeserializer`, isolated-vm issues #420 and #424). `--no-node-snapshot` turns the
 * Node snapshot off. It is a per-process flag: give it on the command line or in `NODE_OPTIONS`
 * (worker `execArgv` rejects it; workers inherit it from the process).
 *
 * @example
 * ```ts
 * import { fork } from 'node:child_process';
 * fork('worker.js', { execArgv: [...process.execArgv, ...ISOLATE_NODE_FLAGS] });
 * ```
 */
export const ISOLATE_NODE_FLAGS: readonly string[] = Object.freeze(['--no-node-snapshot']);

/** Environment variable set on the child that {@link ensureIsolateFlags} starts, so it never loops. */
const RELAUNCHED = 'WEFT_ISOLATE_FLAGS_RELAUNCHED';

/**
 * In the relaunched child: when the parent goes away without passing a signal on (SIGKILL, a
 * crash), the IPC channel closes and the child sends itself SIGTERM, so its own shutdown runs and
 * nothing is left behind. The channel is unref'd: it never keeps the child alive.
 */
function exitWithParent(): void {
  delete process.env[RELAUNCHED];
  if (!process.channel) return;
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.channel.unref();
}

function nodeMajor(): number {
  return Number(process.versions.node.split('.')[0]);
}

/**
 * True when this process can safely create isolates: it runs Node < 20, or it was started with
 * every flag in {@link ISOLATE_NODE_FLAGS}, on the command line or in `NODE_OPTIONS`.
 *
 * @example
 * ```ts
 * if (!hasIsolateFlags()) console.warn('start node with --no-node-snapshot');
 * ```
 */
export function hasIsolateFlags(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): boolean {
  if (nodeMajor() < 20) return true;
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  return ISOLATE_NODE_FLAGS.every((flag) => given.includes(flag));
}

/**
 * The actionable message used when the flags are missing.
 *
 * @example
 * ```ts
 * if (!hasIsolateFlags()) throw new Error(missingIsolateFlagsMessage('my-cli'));
 * ```
 */
export function missingIsolateFlagsMessage(what = '@weft/sandbox'): string {
  return (
    `${what}: isolated-vm needs Node.js ${process.versions.node} to be started with ${ISOLATE_NODE_FLAGS.join(' ')} ` +
    '(without it V8 can crash the process when isolates are created). Fix: run `node --no-node-snapshot your-script.js`; ' +
    'or set NODE_OPTIONS=--no-node-snapshot; in a CLI call `ensureIsolateFlags()` from @weft/sandbox first; ' +
    'in vitest use `pool: "forks"` with `execArgv: ["--no-node-snapshot"]`; for child processes pass ' +
    '`execArgv: ISOLATE_NODE_FLAGS`.'
  );
}

/**
 * Makes sure the current script runs with {@link ISOLATE_NODE_FLAGS}, for command-line tools whose
 * users should never type them.
 *
 * Returns `true` when the flags are already there: carry on. Otherwise it starts the same script
 * again (same Node binary, execArgv, arguments, environment, stdio) with the flags added, exits
 * with the child's exit code (or re-raises its signal) when the child ends, forwards SIGINT,
 * SIGTERM, SIGHUP and SIGQUIT to it (the child runs in its own process group, so a terminal's
 * Ctrl-C reaches it once, through the parent), and returns `false`: the caller must do nothing
 * else. The child is connected by an IPC channel and sends
 * itself SIGTERM when that closes, so killing the parent with SIGKILL leaves no orphan. A child
 * that still lacks the flags is not relaunched again. Supervisors that must hold the server's own
 * pid start it with the flag (`node --no-node-snapshot …` or `NODE_OPTIONS=--no-node-snapshot`):
 * then nothing is relaunched.
 *
 * @example
 * ```ts
 * #!/usr/bin/env node
 * import { ensureIsolateFlags } from '@weft/sandbox';
 * if (ensureIsolateFlags()) {
 *   await main(process.argv.slice(2));
 * }
 * ```
 */
export function ensureIsolateFlags(): boolean {
  if (hasIsolateFlags()) {
    if (process.env[RELAUNCHED] === '1') exitWithParent();
    return true;
  }
  const script = process.argv[1];
  if (process.env[RELAUNCHED] === '1' || script === undefined) {
    throw new Error(missingIsolateFlagsMessage('ensureIsolateFlags'));
  }
  const missing = ISOLATE_NODE_FLAGS.filter((flag) => !process.execArgv.includes(flag));
  const posix = process.platform !== 'win32';
  const child = spawn(process.execPath, [...missing, ...process.execArgv, script, ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [RELAUNCHED]: '1' },
    // In its own process group the child gets a terminal's Ctrl-C once, from the parent, just as
    // it gets a supervisor's `kill -INT <pid>`. (Windows would open a console for it.)
    detached: posix,
  });
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null) child.kill(signal);
  };
  const handlers = new Map<NodeJS.Signals, () => void>([
    ['SIGTERM', forward('SIGTERM')],
    ['SIGHUP', forward('SIGHUP')],
    // On Windows Ctrl-C reaches every process of the console; the parent waits for the child.
    ['SIGINT', posix ? forward('SIGINT') : () => {}],
  ]);
  if (posix) handlers.set('SIGQUIT', forward('SIGQUIT'));
  for (const [signal, handler] of handlers) process.on(signal, handler);
  child.on('error', (error) => {
    process.stderr.write(`ensureIsolateFlags: could not restart node with ${missing.join(' ')}: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const [name, handler] of handlers) process.off(name, handler);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
  return false;
}

/**
 * Throws the actionable error of {@link missingIsolateFlagsMessage} when the flags are missing.
 * `IsolateSandbox` calls it in its constructor.
 *
 * @example
 * ```ts
 * assertIsolateFlags('my-worker'); // throws when node was started without --no-node-snapshot
 * ```
 */
export function assertIsolateFlags(what?: string): void {
  if (!hasIsolateFlags()) throw new Error(missingIsolateFlagsMessage(what));
}
