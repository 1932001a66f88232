import { loadConfig } from '../config/load-config.js';
import { createHost } from '../create-host.js';
import { startTracing } from '../observability/otel-sdk.js';
import { CliError } from './cli-error.js';

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
  const tracing = await startTracing({ env, serviceName: 'weft' });
  const host = await createHost(config, { announce: io.out });
  // Handlers go in before the "running" line: a supervisor may signal as soon as it reads it.
  let stopping = false;
  let stopped!: () => void;
  const done = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  const stop = (signal: string) => {
    if (stopping) {
      io.out('Forced exit');
      process.exit(1);
    }
    stopping = true;
    io.out(`${signal}: shutting down (finishing in-flight executions, up to ${config.shutdownGraceMs} ms)…`);
    void host
      .close()
      .then(() => tracing?.shutdown())
      .then(stopped);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  let url: string;
  try {
    url = await host.listen();
  } catch (e) {
    await host.close();
    await tracing?.shutdown();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new CliError(`Port ${config.port} is already in use; set WEFT_PORT to another port`, 1);
    if (code === 'EACCES')
      throw new CliError(`Not allowed to listen on port ${config.port}; set WEFT_PORT to a port above 1024`, 1);
    throw e;
  }
  const mode =
    host.runtime.launcher.mode === 'direct' ? 'single process, SQLite' : 'queue mode, workers claim executions';
  if (!stopping) io.out(`${config.branding.name} is running at ${url} (${mode}); API docs at ${url}/api/docs`);
  await done;
  return 0;
}
