import { writeFile } from 'node:fs/promises';
import { generateWorkflow, OpenAiCompatibleProvider } from '@weft/ai';
import type { NodeRegistry } from '@weft/engine';
import { CliError } from './cli-error.js';

/** Options of {@link aiGenerateCommand}. */
export interface AiGenerateOptions {
  prompt: string | undefined;
  /** Write the workflow to this file instead of standard output. */
  out?: string | undefined;
  /** An OpenAI-compatible base URL (`http://localhost:11434/v1`); without it the offline planner answers. */
  modelUrl?: string | undefined;
  model?: string | undefined;
  apiKey?: string | undefined;
}

/**
 * `weft ai generate "<prompt>"`: prints the generated workflow as JSON (or writes it to `--out`),
 * and the explanation and everything left unresolved on standard error, so the JSON can be piped
 * into `weft validate` or `weft import`. Offline (no model, no network) unless `--model-url` and
 * `--model` are given (the key comes from `WEFT_AI_API_KEY`).
 *
 * @example
 * ```ts
 * await aiGenerateCommand({ prompt: 'Every Monday at 9 post to #team on Slack' }, defaultRegistry(), io);
 * ```
 */
export async function aiGenerateCommand(
  options: AiGenerateOptions,
  registry: NodeRegistry,
  io: { out: (line: string) => void; err: (line: string) => void },
): Promise<number> {
  if (!options.prompt?.trim()) throw new CliError('Usage: weft ai generate "<what the workflow should do>"', 2);
  if (Boolean(options.modelUrl) !== Boolean(options.model)) {
    throw new CliError('--model-url and --model go together (an OpenAI-compatible endpoint and a model name)', 2);
  }
  let provider: OpenAiCompatibleProvider | undefined;
  try {
    provider =
      options.modelUrl && options.model
        ? new OpenAiCompatibleProvider({
            baseUrl: options.modelUrl,
            model: options.model,
            ...(options.apiKey ? { apiKey: options.apiKey } : {}),
          })
        : undefined;
  } catch (e) {
    throw new CliError(`--model-url: ${(e as Error).message}`, 2);
  }
  let result: Awaited<ReturnType<typeof generateWorkflow>>;
  try {
    result = await generateWorkflow(options.prompt, {
      catalogue: registry.describe(),
      ...(provider ? { provider } : {}),
    });
  } catch (e) {
    throw new CliError(`Could not generate a workflow: ${(e as Error).message}`, 1);
  }
  const json = JSON.stringify(result.workflow, null, 2);
  if (options.out) await writeFile(options.out, `${json}\n`);
  else io.out(json);
  io.err(result.explanation);
  io.err(
    `confidence ${result.confidence}${result.unresolved.length ? `, ${result.unresolved.length} unresolved` : ''}`,
  );
  return 0;
}
