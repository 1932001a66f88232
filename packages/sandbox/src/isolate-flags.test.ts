import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assertIsolateFlags,
  ensureIsolateFlags,
  hasIsolateFlags,
  ISOLATE_NODE_FLAGS,
  missingIsolateFlagsMessage,
} from './isolate-flags.js';

// The child-process tests import the built package (a plain `node` cannot load TypeScript);
// `npm test` builds before it runs vitest.
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const engine = fileURLToPath(new URL('../../engine/dist/index.js', import.meta.url));
const built = existsSync(dist) && existsSync(engine);
const dir = mkdtempSync(join(tmpdir(), 'weft-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function childScript(name: string, source: string): { file: string; env: NodeJS.ProcessEnv } {
  const file = join(dir, name);
  writeFileSync(
    file,
    source.replaceAll('DIST', pathToFileURL(dist).href).replaceAll('ENGINE', pathToFileURL(engine).href),
  );
  const env = { ...process.env };
  delete env.WEFT_ISOLATE_FLAGS_RELAUNCHED;
  delete env.NODE_OPTIONS;
  return { file, env };
}

function runChild(name: string, source: string, execArgv: string[] = [], extraEnv: NodeJS.ProcessEnv = {}) {
  const { file, env } = childScript(name, source);
  return spawnSync(process.execPath, [...execArgv, file, 'arg-1'], {
    encoding: 'utf8',
    env: { ...env, ...extraEnv },
    timeout: 60_000,
  });
}

/** Alive and not a zombie (an orphan that exited may wait for a reaper that never comes). */
function running(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
  return state !== 'Z' && state !== 'X';
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('isolate flags', () => {
  it('knows which flags isolated-vm needs and whether they are present', () => {
    expect(ISOLATE_NODE_FLAGS).toEqual(['--no-node-snapshot']);
    expect(hasIsolateFlags(['--expose-gc', '--no-node-snapshot'])).toBe(true);
    expect(hasIsolateFlags(['--expose-gc'], undefined)).toBe(Number(process.versions.node.split('.')[0]) < 20);
    expect(hasIsolateFlags([], '--max-old-space-size=512  --no-node-snapshot')).toBe(true);
    expect(hasIsolateFlags([], '--no-node-snapshotx')).toBe(Number(process.versions.node.split('.')[0]) < 20);
    // vitest.config.ts starts its forks with the flag.
    expect(hasIsolateFlags()).toBe(true);
    expect(ensureIsolateFlags()).toBe(true);
    expect(() => assertIsolateFlags('here')).not.toThrow();
  });

  it('explains how to fix a missing flag', () => {
    const message = missingIsolateFlagsMessage('weft worker');
    expect(message).toMatch(/^weft worker: isolated-vm needs Node\.js .* --no-node-snapshot/);
    expect(message).toContain('ensureIsolateFlags()');
    expect(message).toContain('NODE_OPTIONS=--no-node-snapshot');
  });

  it.skipIf(!built)('IsolateSandbox refuses to start without the flag, with the fix in the message', () => {
    const child = runChild(
      'no-flag.mjs',
      `import { IsolateSandbox } from 'DIST';
       try { new IsolateSandbox(); console.log('constructed'); } catch (e) { console.log(e.message); process.exit(3); }`,
    );
    expect(child.status).toBe(3);
    expect(child.stdout).toContain('IsolateSandbox: isolated-vm needs Node.js');
    expect(child.stdout).toContain('node --no-node-snapshot your-script.js');
  });

  it.skipIf(!built)('ensureIsolateFlags() re-runs the script with the flag and passes its exit code on', () => {
    const child = runChild(
      'relaunch.mjs',
      `import { ensureIsolateFlags, IsolateSandbox } from 'DIST';
       import { buildExpressionProgram } from 'ENGINE';
       console.log('start', JSON.stringify(process.execArgv));
       if (ensureIsolateFlags()) {
         const sandbox = new IsolateSandbox({ size: 1 });
         const data = { items: [{ json: { a: 20 } }], nodes: {}, execution: { id: 'e', mode: 'test' }, workflow: { id: 'w', name: 'w' }, env: {}, now: 0, runIndex: 0 };
         const values = await sandbox.evaluate({ program: buildExpressionProgram(['$json.a + 1']), data, itemCount: 1, limits: { timeoutMs: 500, memoryMb: 16 }, label: 'Child' });
         console.log('result', JSON.stringify(values), process.argv.slice(2).join(','));
         await sandbox.close();
         process.exit(7);
       }`,
    );
    expect({ stderr: child.stderr, signal: child.signal, error: child.error?.message }).toEqual({
      stderr: '',
      signal: null,
      error: undefined,
    });
    expect(child.stdout).toContain('start []');
    expect(child.stdout).toContain('start ["--no-node-snapshot"]');
    expect(child.stdout).toContain('result [[21]] arg-1');
    expect(child.status).toBe(7);
  });

  it.skipIf(!built)('ensureIsolateFlags() does nothing when the flag is already there', () => {
    const child = runChild(
      'has-flag.mjs',
      `import { ensureIsolateFlags } from 'DIST';
       console.log('run', ensureIsolateFlags());`,
      ['--no-node-snapshot'],
    );
    expect(child.stdout.trim()).toBe('run true');
    expect(child.status).toBe(0);
  });

  it('Node takes the flag from NODE_OPTIONS', () => {
    const child = spawnSync(
      process.execPath,
      ['--expose-internals', '-p', "require('internal/options').getOptionValue('--node-snapshot')"],
      { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--no-node-snapshot' } },
    );
    expect(child.stdout.trim()).toBe('false');
  });

  it.skipIf(!built)('ensureIsolateFlags() relaunches nothing when NODE_OPTIONS carries the flag', () => {
    const child = runChild(
      'node-options.mjs',
      `import { ensureIsolateFlags } from 'DIST';
       console.log('pid', process.pid, ensureIsolateFlags());`,
      [],
      { NODE_OPTIONS: '--no-node-snapshot' },
    );
    expect(child.stdout.trim()).toMatch(/^pid \d+ true$/);
    expect(child.status).toBe(0);
  });

  it.skipIf(!built || process.platform !== 'linux')(
    'the relaunched child shuts down when its parent is killed with SIGKILL',
    async () => {
      const { file, env } = childScript(
        'orphan.mjs',
        `import { createServer } from 'node:http';
         import { ensureIsolateFlags } from 'DIST';
         if (ensureIsolateFlags()) {
           const server = createServer((_q, s) => s.end('up')).listen(0, '127.0.0.1', () =>
             console.log('serving', process.pid, server.address().port));
           process.on('SIGTERM', () => server.close(() => process.exit(0)));
         }`,
      );
      const parent = spawn(process.execPath, [file], { env, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      parent.stdout.on('data', (d) => {
        out += d;
      });
      try {
        await until(() => /serving \d+ \d+/.test(out), 'the child serves');
        const [, pid, port] = out.match(/serving (\d+) (\d+)/) as string[];
        expect(Number(pid)).not.toBe(parent.pid);
        expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('up');
        parent.kill('SIGKILL');
        await until(() => !running(Number(pid)), 'the child exits');
        await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
      } finally {
        parent.kill('SIGKILL');
        const pid = out.match(/serving (\d+)/)?.[1];
        if (pid && running(Number(pid))) process.kill(Number(pid), 'SIGKILL');
      }
    },
    30_000,
  );

  it.skipIf(!built || process.platform === 'win32')(
    'SIGINT reaches the relaunched child exactly once, sent to the pid or to its process group',
    async () => {
      const { file, env } = childScript(
        'sigint.mjs',
        `import { ensureIsolateFlags } from 'DIST';
         if (ensureIsolateFlags()) {
           let count = 0;
           process.on('SIGINT', () => {
             if (count++ === 0) setTimeout(() => { console.log('sigints', count); process.exit(0); }, 500);
           });
           setInterval(() => {}, 1000);
           console.log('ready');
         }`,
      );
      for (const target of ['pid', 'group'] as const) {
        // detached: the parent leads a process group, as a shell's foreground job does.
        const parent = spawn(process.execPath, [file], { env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
        let out = '';
        parent.stdout.on('data', (d) => {
          out += d;
        });
        const exited = new Promise<number | null>((resolve) => parent.once('exit', (code) => resolve(code)));
        try {
          await until(() => out.includes('ready'), 'the child is ready');
          process.kill(target === 'pid' ? (parent.pid as number) : -(parent.pid as number), 'SIGINT');
          expect(await exited, target).toBe(0);
          expect(out, target).toContain('sigints 1');
        } finally {
          parent.kill('SIGKILL');
        }
      }
    },
    60_000,
  );
});
