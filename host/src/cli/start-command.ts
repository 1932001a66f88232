import { loadConfig } from '../config/load-config.js';
import { createHost } from '../create-host.js';

/**
 * `weft start`: runs the host until SIGINT/SIGTERM, then shuts down gracefully (in-flight
 * executions finish or resume on the next start).
 *
 * @example
 * ```ts
 * await startCommand({ out: console.log });
 * ```
 */
export async function startCommand(
  io: { out: (l: string) => void },
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const config = loadConfig(env);
  const host = await createHost(config, { announce: io.out });
  const url = await host.listen();
  const mode =
    host.runtime.launcher.mode === 'direct' ? 'single process, SQLite' : 'queue mode, workers claim executions';
  io.out(`${config.branding.name} is running at ${url} (${mode}); API docs at ${url}/api/docs`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        io.out('Forced exit');
        process.exit(1);
      }
      stopping = true;
      io.out(`${signal}: shutting down (finishing in-flight executions, up to ${config.shutdownGraceMs} ms)…`);
      void host.close().then(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
