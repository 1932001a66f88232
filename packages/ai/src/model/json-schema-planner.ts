import { validateWorkflow } from '@weft/engine';
import { catalogueSource } from '../catalogue/catalogue-entry.js';
import type { GenerationResult, Unresolved } from '../planner/generation-result.js';
import { WorkflowDraft } from '../planner/workflow-draft.js';
import { builderInstructions } from './builder-tools.js';
import type { ChatMessage } from './chat-provider.js';
import { GenerationRefusedError, type ModelPlanOptions } from './model-planner.js';

interface Answer {
  nodes?: { id?: string; type?: string; name?: string; parameters?: Record<string, unknown> }[];
  connections?: { source?: string; target?: string; sourcePort?: string; targetPort?: string }[];
  explanation?: string;
  unresolved?: Unresolved[];
}

/** The JSON Schema the model's answer must match in {@link planWithModelJson}. */
export function answerSchema(types: string[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      nodes: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            type: { type: 'string', enum: types },
            name: { type: 'string' },
            parameters: { type: 'object' },
          },
          required: ['id', 'type'],
        },
      },
      connections: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            source: { type: 'string' },
            target: { type: 'string' },
            sourcePort: { type: 'string' },
            targetPort: { type: 'string' },
          },
          required: ['source', 'target'],
        },
      },
      explanation: { type: 'string' },
      unresolved: {
        type: 'array',
        items: { type: 'object', properties: { text: { type: 'string' }, reason: { type: 'string' } } },
      },
    },
    required: ['nodes', 'connections'],
  };
}

/**
 * Builds a workflow from one JSON answer matching a schema of the catalogue (for models without
 * tool calls): the answer's nodes and connections are replayed into a draft (so `onEvent` sees
 * each node added and connection made), validated, and problems are sent back for repair at most
 * `maxRepairRounds` times; a workflow still invalid is refused with {@link GenerationRefusedError}.
 *
 * @example
 * ```ts
 * const result = await planWithModelJson('Every hour fetch https://example.com', { catalogue, provider });
 * ```
 */
export async function planWithModelJson(prompt: string, options: ModelPlanOptions): Promise<GenerationResult> {
  const { catalogue, provider } = options;
  const source = catalogueSource(catalogue);
  const maxRepairs = options.maxRepairRounds ?? 2;
  const schema = answerSchema(catalogue.map((e) => e.type));
  const messages: ChatMessage[] = [
    {
      role: 'system',
      content: `${builderInstructions(catalogue).replace(/^You build .*\n/, 'You build Weft workflows from a request.\n')}\n\nAnswer with one JSON object: nodes (id, type, name, parameters), connections (source, target, sourcePort, targetPort), explanation, unresolved.`,
    },
    { role: 'user', content: prompt },
  ];
  for (let round = 0; ; round++) {
    await options.beforeCall?.();
    const response = await provider.chat({
      messages,
      responseFormat: { name: 'workflow', schema },
      temperature: 0,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    await options.afterCall?.(response);
    messages.push({ role: 'assistant', content: response.content });
    let answer: Answer = {};
    const errors: string[] = [];
    try {
      answer = JSON.parse(response.content) as Answer;
    } catch {
      errors.push(`the answer is not JSON: ${response.content.slice(0, 100)}`);
    }
    const draft = new WorkflowDraft(catalogue, options.onEvent);
    const ids = new Map<string, string>();
    for (const n of answer.nodes ?? []) {
      try {
        const node = draft.addNode(n.type ?? '', {
          ...(n.name ? { name: n.name } : {}),
          parameters: n.parameters ?? {},
        });
        if (n.id) ids.set(n.id, node.id);
      } catch (e) {
        errors.push(`node "${n.id}": ${(e as Error).message}`);
      }
    }
    for (const c of answer.connections ?? []) {
      try {
        draft.connect(
          ids.get(c.source ?? '') ?? c.source ?? '',
          ids.get(c.target ?? '') ?? c.target ?? '',
          c.sourcePort,
          c.targetPort,
        );
      } catch (e) {
        errors.push(`connection ${c.source} -> ${c.target}: ${(e as Error).message}`);
      }
    }
    const workflow = draft.toWorkflow(prompt.trim().replace(/\s+/g, ' ').slice(0, 80));
    const { problems } = validateWorkflow(workflow, source);
    if (!errors.length && !problems.length && workflow.nodes.length) {
      const unresolved = (answer.unresolved ?? []).filter((u) => u && typeof u.reason === 'string');
      const confidence = Math.round(Math.max(0.3, 0.95 - 0.15 * round - 0.05 * unresolved.length) * 100) / 100;
      return { workflow, explanation: answer.explanation ?? '', confidence, unresolved, source: 'model' };
    }
    const all = [
      ...errors.map((message) => ({ path: '/', code: 'schema' as const, message })),
      ...(workflow.nodes.length
        ? problems
        : [{ path: '/nodes', code: 'schema' as const, message: 'the workflow has no nodes' }]),
    ];
    if (round >= maxRepairs) throw new GenerationRefusedError(all);
    messages.push({
      role: 'user',
      content: `The workflow does not validate (node ids below are n1, n2, … in the order of your nodes):\n${all.map((p) => `- ${p.path}: ${p.message}`).join('\n')}\nAnswer with the whole corrected JSON object.`,
    });
  }
}
