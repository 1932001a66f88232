import { Redactor } from '@weft/connectors';
import { loadConfig } from '../config/load-config.js';
import { startTracing } from '../observability/otel-sdk.js';
import { createHostLogger } from '../runtime/host-logger.js';
import { createRuntime } from '../runtime/host-runtime.js';

/**
 * `weft worker`: a process that only claims and runs queued executions (no HTTP), until
 * SIGINT/SIGTERM; running jobs are interrupted resumably and re-queued by their leases.
 *
 * @example
 * ```ts
 * await workerCommand({ out: console.log });
 * ```
 */
export async function workerCommand(
  io: { out: (l: string) => void },
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const config = loadConfig(env);
  const redactor = new Redactor();
  const logger = createHostLogger({ level: config.logLevel, service: 'weft-worker', redactor });
  const tracing = await startTracing({ env, serviceName: 'weft-worker' });
  const runtime = await createRuntime(config, { logger, redactor });
  let stopping = false;
  const done = new Promise<void>((resolve) => {
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void runtime
        .close()
        .then(() => tracing?.shutdown())
        .then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.out(`weft worker ${runtime.worker?.id} claiming jobs (concurrency ${config.workerConcurrency})`);
  await done;
  io.out('worker stopped');
  return 0;
}
