import {
  buildExpressionProgram,
  type CodeSandbox,
  checkTemplate,
  type ExpressionData,
  InterpreterSandbox,
  type Item,
  isTemplate,
  type JsonValue,
  templateToExpression,
} from '@weft/engine';

/** The outcome of previewing one parameter value. */
export type PreviewResult =
  | { kind: 'literal'; value: string }
  | { kind: 'value'; value: JsonValue }
  | { kind: 'error'; message: string };

let shared: CodeSandbox | undefined;

/** Context for a preview: the items the node would receive and the outputs of earlier nodes. */
export interface PreviewContext {
  items: Item[];
  nodes?: Record<string, Item[]>;
  workflow?: { id: string; name: string };
  now?: number;
}

/**
 * Evaluates a parameter value the way the engine will, for the first input item, with the engine's
 * browser-safe {@link InterpreterSandbox}: syntax errors come from `checkTemplate`, runtime errors
 * from the sandbox. Plain text comes back as a literal.
 *
 * @example
 * ```ts
 * await previewExpression('Hi {{ $json.name }}', { items: [{ json: { name: 'Ada' } }] });
 * // { kind: 'value', value: 'Hi Ada' }
 * ```
 */
export async function previewExpression(
  value: string,
  context: PreviewContext,
  sandbox?: CodeSandbox,
): Promise<PreviewResult> {
  if (!isTemplate(value)) return { kind: 'literal', value };
  const syntax = checkTemplate(value);
  if (syntax.length > 0) {
    const first = syntax[0]!;
    return { kind: 'error', message: `${first.message} (at ${first.offset})` };
  }
  const data: ExpressionData = {
    items: context.items.slice(0, 1),
    nodes: context.nodes ?? {},
    execution: { id: 'preview', mode: 'manual' },
    workflow: context.workflow ?? { id: 'preview', name: 'Preview' },
    env: {},
    now: context.now ?? Date.now(),
    runIndex: 0,
  };
  if (!shared) shared = new InterpreterSandbox();
  try {
    const values = await (sandbox ?? shared).evaluate({
      program: buildExpressionProgram([templateToExpression(value)]),
      data,
      itemCount: data.items.length,
      limits: { timeoutMs: 500, memoryMb: 32 },
      label: 'Preview',
    });
    return { kind: 'value', value: values[0]?.[0] ?? null };
  } catch (e) {
    return { kind: 'error', message: (e as Error).message };
  }
}
