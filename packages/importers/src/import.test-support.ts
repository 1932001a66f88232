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

/** A node of an n8n export, for tests. */
export interface N8nTestNode {
  name: string;
  type: string;
  typeVersion?: number;
  parameters?: Record<string, unknown>;
  [k: string]: unknown;
}

/**
 * An n8n workflow export with a manual trigger "Start" and edges written `A -> B`,
 * `If:1 -> No` (output 1) or `A -> Merge:1` (input 1).
 */
export function n8nWorkflow(nodes: N8nTestNode[], edges: string[], extra: Record<string, unknown> = {}) {
  const all = [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }, ...nodes];
  const connections: Record<string, { main: { node: string; type: string; index: number }[][] }> = {};
  for (const e of edges) {
    const [a, b] = e.split('->').map((s) => s.trim()) as [string, string];
    const [from, out = '0'] = a.split(/:(?=\d+$)/);
    const [to, input = '0'] = b.split(/:(?=\d+$)/);
    connections[from as string] ??= { main: [] };
    const main = (connections[from as string] as { main: { node: string; type: string; index: number }[][] }).main;
    while (main.length <= Number(out)) main.push([]);
    main[Number(out)]?.push({ node: to as string, type: 'main', index: Number(input) });
  }
  return {
    name: 'Test',
    nodes: all.map((n, i) => ({ id: `n${i}`, position: [i * 200, 0], typeVersion: 1, parameters: {}, ...n })),
    connections,
    ...extra,
  };
}
