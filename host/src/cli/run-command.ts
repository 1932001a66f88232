import { type EngineEvent, type Item, type NodeRegistry, WorkflowEngine } from '@weft/engine';
import { IsolateSandbox } from '@weft/sandbox';
import { CliError } from './cli-error.js';
import { readDocument } from './read-document.js';
import { loadValidWorkflow } from './validate-command.js';

/** Options of `weft run`. */
export interface RunOptions {
  file: string;
  input?: string;
  json?: boolean;
  registry: NodeRegistry;
  out: (line: string) => void;
  env?: Record<string, string>;
}

/** Turns an input document (an object, an array of objects, or an array of `{ json }` items) into items. */
export function toItems(doc: unknown, path: string): Item[] {
  const list = Array.isArray(doc) ? doc : [doc];
  return list.map((x, i) => {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) {
      throw new CliError(
        `${path}: entry ${i} must be a JSON object, got ${Array.isArray(x) ? 'an array' : typeof x}`,
        2,
      );
    }
    const o = x as Record<string, unknown>;
    return (o.json && typeof o.json === 'object' && !Array.isArray(o.json) ? o : { json: o }) as unknown as Item;
  });
}

function line(e: EngineEvent & { type: 'node:executed' }): string {
  const mark = e.status === 'succeeded' ? '✓' : e.status === 'waiting' ? '⏸' : '✗';
  const out = Object.entries(e.itemsOut)
    .filter(([, n]) => n > 0)
    .map(([p, n]) => (p === 'main' ? `${n}` : `${n} on ${p}`))
    .join(', ');
  const items = e.status === 'succeeded' ? `${e.itemsIn} → ${out || '0'} items` : (e.error?.message ?? e.status);
  return `  ${mark} ${e.nodeName.padEnd(24)} ${items.padEnd(22)} ${e.durationMs.toFixed(2).padStart(8)} ms`;
}

/**
 * `weft run`: runs a workflow file in this process with in-memory storage and the isolate
 * sandbox, printing each node's result as it finishes, then the output items. Timer waits are
 * slept through; a run parked on a signal (approval) ends with its execution id.
 *
 * @example
 * ```ts
 * await runCommand({ file: 'order.json', input: 'order.input.json', registry, out: console.log });
 * ```
 */
export async function runCommand(options: RunOptions): Promise<number> {
  const workflow = await loadValidWorkflow(options.file, options.registry);
  const input = options.input ? toItems(await readDocument(options.input, 'input'), options.input) : undefined;
  const sandbox = new IsolateSandbox({ size: 1 });
  const engine = new WorkflowEngine({ registry: options.registry, sandbox, env: options.env ?? {} });
  const started = performance.now();
  if (!options.json) {
    options.out(`▶ ${workflow.name}`);
    engine.events$.subscribe((e) => {
      if (e.type === 'node:executed') options.out(line(e));
    });
  }
  try {
    let result = await engine.execute(workflow, { ...(input ? { input } : {}), mode: 'manual' });
    while (result.status === 'waiting' && result.wait?.kind === 'timer') {
      const ms = Math.max(0, (result.wait.resumeAt ?? 0) - Date.now());
      if (!options.json)
        options.out(
          `  ⏸ waiting ${(ms / 1000).toFixed(1)} s, until ${new Date(result.wait.resumeAt ?? 0).toISOString()}`,
        );
      await new Promise((r) => setTimeout(r, ms));
      result = await engine.resume(result.executionId, { workflow });
    }
    const total = (performance.now() - started).toFixed(1);
    if (options.json) {
      options.out(
        JSON.stringify(
          { executionId: result.executionId, status: result.status, output: result.output, error: result.error },
          null,
          2,
        ),
      );
    } else if (result.status === 'succeeded') {
      options.out(
        `✓ succeeded in ${total} ms; output (${result.output.length} item${result.output.length === 1 ? '' : 's'}):`,
      );
      options.out(
        JSON.stringify(
          result.output.map((i) => i.json),
          null,
          2,
        ),
      );
    } else if (result.status === 'waiting') {
      options.out(
        `⏸ execution ${result.executionId} is waiting for a signal at node "${result.wait?.nodeId}"; an in-memory run cannot be resumed later — run it on the host to approve it`,
      );
    } else {
      options.out(`✗ ${result.status}${result.error ? `: ${result.error.message}` : ''}`);
    }
    return result.status === 'succeeded' || result.status === 'waiting' ? 0 : 1;
  } finally {
    await sandbox.close();
  }
}
