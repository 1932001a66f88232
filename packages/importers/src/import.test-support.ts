import { builtinConnectors, connectorNodeTypes, respondToWebhookNode } from '@weft/connectors';
import {
  builtinNodeTypes,
  InterpreterSandbox,
  type Item,
  ManualClock,
  NodeRegistry,
  validateWorkflow,
  type Workflow,
  WorkflowEngine,
} from '@weft/engine';
import { expect } from 'vitest';

/** The host's catalogue: built-ins, every built-in connector and Respond to Webhook. */
export const registry = new NodeRegistry().register(
  ...builtinNodeTypes,
  ...builtinConnectors.flatMap((c) => connectorNodeTypes(c, {})),
  respondToWebhookNode,
);

const sandbox = new InterpreterSandbox();

/** Asserts the workflow passes Weft's validation, naming every problem when it does not. */
export function expectValid(workflow: Workflow): void {
  const { problems } = validateWorkflow(workflow, registry);
  expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([]);
}

/** Runs an imported workflow on the real engine (QuickJS sandbox) and returns its output items' json. */
export async function run(
  workflow: Workflow,
  input: Record<string, unknown>[] = [{}],
  at = Date.UTC(2026, 0, 15, 10, 30),
) {
  expectValid(workflow);
  const engine = new WorkflowEngine({ registry, sandbox, clock: new ManualClock(at) });
  const result = await engine.execute(workflow, { input: input.map((json) => ({ json }) as Item) });
  const runs = await engine.executions.listNodeRuns(result.executionId);
  /** The json items a node put on a port in its last run (undefined when it did not run). */
  const out = (node: string, port = 'main') => {
    const r = runs.filter((x) => x.nodeName === node).pop();
    return r ? jsons(r.output?.[port]) : undefined;
  };
  return { result, runs, out };
}

/** The json of a list of items. */
export const jsons = (items: Item[] | undefined) => (items ?? []).map((i) => i.json);
