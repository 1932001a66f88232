import { type ValidationProblem, validateWorkflow, type Workflow } from '@weft/engine';
import { type CatalogueEntry, catalogueSource } from '../catalogue/catalogue-entry.js';
import type { GenerationResult, Unresolved } from '../planner/generation-result.js';
import { type DraftEvent, WorkflowDraft } from '../planner/workflow-draft.js';
import { BUILDER_TOOLS, builderInstructions } from './builder-tools.js';
import type { ChatMessage, ChatProvider, ChatResponse, ToolCall } from './chat-provider.js';

/** Options of {@link planWithModel}. */
export interface ModelPlanOptions {
  catalogue: readonly CatalogueEntry[];
  provider: ChatProvider;
  onEvent?: (event: DraftEvent) => void;
  /** Times validation problems are sent back for repair before giving up. Default 2. */
  maxRepairRounds?: number;
  /** Model calls at most, repairs included. Default 12. */
  maxCalls?: number;
  signal?: AbortSignal;
  /** Runs before each model call (rate limits) and after it (usage). */
  beforeCall?: () => Promise<void>;
  afterCall?: (response: ChatResponse) => Promise<void>;
  /** A workflow to edit: the model starts from its nodes (ids kept) and is told to change it. */
  base?: Workflow;
}

/** The model's workflow stayed invalid after every repair round: nothing is handed back. */
export class GenerationRefusedError extends Error {
  override name = 'GenerationRefusedError';
  constructor(readonly problems: ValidationProblem[]) {
    super(
      `The model's workflow is still invalid after repair, so none is returned: ${problems
        .slice(0, 5)
        .map((p) => `${p.path}: ${p.message}`)
        .join('; ')}`,
    );
  }
}

function apply(draft: WorkflowDraft, call: ToolCall, finish: { done: boolean; args: Record<string, unknown> }): string {
  let args: Record<string, unknown>;
  try {
    args = call.arguments.trim() ? (JSON.parse(call.arguments) as Record<string, unknown>) : {};
  } catch {
    return JSON.stringify({ error: `arguments of ${call.name} are not JSON: ${call.arguments.slice(0, 100)}` });
  }
  const str = (k: string) => (typeof args[k] === 'string' ? (args[k] as string) : undefined);
  try {
    switch (call.name) {
      case 'add_node': {
        const params = args.parameters && typeof args.parameters === 'object' ? args.parameters : {};
        const node = draft.addNode(str('type') ?? '', {
          parameters: params as Record<string, unknown>,
          ...(str('name') ? { name: str('name') } : {}),
        });
        return JSON.stringify({ id: node.id, name: node.name });
      }
      case 'connect':
        draft.connect(
          str('source') ?? '',
          str('target') ?? '',
          str('sourcePort') ?? 'main',
          str('targetPort') ?? 'main',
        );
        return '{"ok":true}';
      case 'disconnect': {
        const from = draft.find(str('source') ?? '');
        const to = draft.find(str('target') ?? '');
        const c = draft.connections.find(
          (x) =>
            x.source === from.id &&
            x.target === to.id &&
            (x.sourcePort ?? 'main') === (str('sourcePort') ?? 'main') &&
            (x.targetPort ?? 'main') === (str('targetPort') ?? 'main'),
        );
        if (!c) return JSON.stringify({ error: `"${from.name}" is not connected to "${to.name}" on those ports` });
        draft.disconnect(c);
        return '{"ok":true}';
      }
      case 'set_parameter':
        draft.setParameter(str('node') ?? '', str('name') ?? '', args.value);
        return '{"ok":true}';
      case 'remove_node':
        draft.removeNode(str('node') ?? '');
        return '{"ok":true}';
      case 'finish':
        finish.done = true;
        finish.args = args;
        return '{"ok":true}';
      default:
        return JSON.stringify({ error: `unknown tool "${call.name}"` });
    }
  } catch (e) {
    return JSON.stringify({ error: (e as Error).message });
  }
}

/**
 * Builds a workflow with a model: the model calls `add_node`, `connect`, `set_parameter` and
 * `finish`; the draft is then checked with `validateWorkflow` against the catalogue and the
 * problems are sent back for repair, at most `maxRepairRounds` times. A workflow that is still
 * invalid is refused with a {@link GenerationRefusedError}: nothing invalid is handed back.
 * Each node added and connection made is reported to `onEvent` as it happens.
 *
 * @example
 * ```ts
 * const result = await planWithModel('Every hour fetch https://example.com', { catalogue, provider });
 * ```
 */
export async function planWithModel(prompt: string, options: ModelPlanOptions): Promise<GenerationResult> {
  const { catalogue, provider } = options;
  const maxRepairs = options.maxRepairRounds ?? 2;
  const maxCalls = options.maxCalls ?? 12;
  const source = catalogueSource(catalogue);
  const base = options.base;
  const draft = base
    ? WorkflowDraft.from(base, catalogue, options.onEvent)
    : new WorkflowDraft(catalogue, options.onEvent);
  const name = base?.name ?? prompt.trim().replace(/\s+/g, ' ').slice(0, 80);
  const current =
    base && JSON.stringify({ nodes: base.nodes.map(({ position: _, ...n }) => n), connections: base.connections });
  const messages: ChatMessage[] = [
    { role: 'system', content: builderInstructions(catalogue) },
    {
      role: 'user',
      content: current
        ? `Change this workflow with the tools (its nodes keep their ids), then call finish.\nCurrent workflow: ${current}\nChange: ${prompt}`
        : prompt,
    },
  ];
  const finish = { done: false, args: {} as Record<string, unknown> };
  let repairs = 0;
  let lastText = '';
  for (let calls = 0; calls < maxCalls; calls++) {
    await options.beforeCall?.();
    const response = await provider.chat({
      messages,
      tools: BUILDER_TOOLS,
      temperature: 0,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    await options.afterCall?.(response);
    lastText = response.content || lastText;
    messages.push({ role: 'assistant', content: response.content || null, toolCalls: response.toolCalls });
    for (const call of response.toolCalls) {
      messages.push({ role: 'tool', toolCallId: call.id, content: apply(draft, call, finish) });
    }
    if (response.toolCalls.length && !finish.done) continue;
    const workflow = base ? { ...base, ...draft.toWorkflow(name), name } : draft.toWorkflow(name);
    const { valid, problems } = validateWorkflow(workflow, source);
    if (valid && workflow.nodes.length) {
      const unresolved: Unresolved[] = Array.isArray(finish.args.unresolved)
        ? (finish.args.unresolved as Unresolved[]).filter((u) => u && typeof u.reason === 'string')
        : [];
      const explanation = typeof finish.args.explanation === 'string' ? finish.args.explanation : lastText;
      const confidence = Math.round(Math.max(0.3, 0.95 - 0.15 * repairs - 0.05 * unresolved.length) * 100) / 100;
      return { workflow, explanation, confidence, unresolved, source: 'model' };
    }
    const found = workflow.nodes.length
      ? problems
      : [{ path: '/nodes', code: 'schema' as const, message: 'the workflow has no nodes' }];
    if (repairs >= maxRepairs) throw new GenerationRefusedError(found);
    repairs++;
    finish.done = false;
    messages.push({
      role: 'user',
      content: `The workflow does not validate:\n${found.map((p) => `- ${p.path}: ${p.message}`).join('\n')}\nFix it with the tools, then call finish.`,
    });
  }
  throw new GenerationRefusedError(validateWorkflow(draft.toWorkflow(name || 'Generated'), source).problems);
}
