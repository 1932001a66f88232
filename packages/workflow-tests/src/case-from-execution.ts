import type { ExecutionRecord, Item, NodeRegistry, NodeRunRecord, Workflow } from '@weft/engine';
import type { Assertion, TestCase } from './test-suite-schema.js';

/**
 * A test case that pins down what a real execution did ("save this run as a test case"): its
 * trigger input and time, mocks holding the recorded output of every side-effecting node that
 * ran (so the case never reaches the outside), and assertions on the path taken, the output of
 * every node where the flow ended, and the error when it failed. Edit it as JSON or YAML after.
 *
 * @example
 * ```ts
 * const runs = await engine.executions.listNodeRuns(record.id);
 * const testCase = caseFromExecution({ name: 'large order', record, runs, workflow, registry });
 * suite.cases.push(testCase);
 * ```
 */
export function caseFromExecution(options: {
  name: string;
  record: ExecutionRecord;
  runs: readonly NodeRunRecord[];
  workflow: Workflow;
  registry: NodeRegistry;
}): TestCase {
  const { record, workflow, registry } = options;
  const runs = [...options.runs].filter((r) => r.status !== 'running').sort((a, b) => a.seq - b.seq);
  const byName = new Map(workflow.nodes.map((n) => [n.name, n]));
  const mocks: Record<string, Item[]> = {};
  const last = new Map<string, NodeRunRecord>();
  for (const r of runs) last.set(r.nodeName, r);
  for (const [name, r] of last) {
    const node = byName.get(name);
    const type = node && registry.get(node.type, node.typeVersion);
    if (type && !type.trigger && (type.sideEffects ?? 'none') !== 'none' && r.status === 'succeeded' && r.output)
      mocks[name] = r.output.main ?? [];
  }
  const assertions: Assertion[] = [{ kind: 'path', nodes: runs.map((r) => r.nodeName) }];
  const hasOutgoing = new Set(workflow.connections.map((c) => c.source));
  for (const [name, r] of last) {
    const node = byName.get(name);
    if (!node || hasOutgoing.has(node.id) || r.status !== 'succeeded' || !r.output || name in mocks) continue;
    for (const [port, items] of Object.entries(r.output))
      assertions.push({
        kind: 'equals',
        node: name,
        ...(port === 'main' ? {} : { port }),
        value: items.map((i) => i.json),
      });
  }
  if (record.status === 'failed' && record.error)
    assertions.push({
      kind: 'error',
      ...(record.error.nodeName ? { node: record.error.nodeName } : {}),
      code: record.error.code,
    });
  const start = record.startNodeId ? workflow.nodes.find((n) => n.id === record.startNodeId)?.name : undefined;
  return {
    name: options.name,
    description: `Saved from execution ${record.id} (workflow version ${record.workflowVersion})`,
    input: record.input.main ?? [],
    ...(start ? { startNode: start } : {}),
    now: new Date(record.startedAt).toISOString(),
    ...(Object.keys(mocks).length ? { mocks } : {}),
    assertions,
  };
}
