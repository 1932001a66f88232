import { Value } from '@sinclair/typebox/value';
import { type Workflow, WorkflowSchema } from '../model/workflow-schema.js';
import { type NodeTypeShape, type NodeTypeSource, portsOf } from './node-type-source.js';
import { validateParameters } from './validate-parameters.js';
import type { ValidationProblem, ValidationResult } from './validation-problem.js';

/**
 * Checks a workflow document and returns every problem found, each with a JSON pointer and a
 * plain message: schema violations, unknown node types, duplicate ids or names, connections to
 * missing nodes or ports, pinned data of missing nodes, cycles not closed through a loop node's
 * feedback input, missing or mistyped parameters, and expression syntax errors.
 *
 * @example
 * ```ts
 * const { valid, problems } = validateWorkflow(json, registry);
 * for (const p of problems) console.log(`${p.path}: ${p.message}`);
 * ```
 */
export function validateWorkflow(input: unknown, registry: NodeTypeSource): ValidationResult {
  const problems: ValidationProblem[] = [];
  // Value.Check is a few times faster than walking Value.Errors: list the errors only when there are some.
  const errors = Value.Check(WorkflowSchema, input) ? [] : Value.Errors(WorkflowSchema, input);
  for (const e of errors) {
    const path = e.path || '/';
    // TypeBox reports a missing property twice: "expected required property", then its type.
    if (e.value === undefined && problems.some((p) => p.path === path)) continue;
    problems.push({ path, code: 'schema', message: schemaMessage(e.path, e.message, e.value) });
    if (problems.length >= 100) break;
  }
  if (problems.length) return { valid: false, problems };
  const wf = input as Workflow;

  const ids = new Map<string, number>();
  const names = new Map<string, number>();
  const types = new Map<string, NodeTypeShape>();
  wf.nodes.forEach((n, i) => {
    if (ids.has(n.id)) {
      problems.push({
        path: `/nodes/${i}/id`,
        code: 'duplicate-id',
        nodeId: n.id,
        message: `Node id "${n.id}" is already used by node ${ids.get(n.id)}`,
      });
    } else ids.set(n.id, i);
    if (names.has(n.name)) {
      problems.push({
        path: `/nodes/${i}/name`,
        code: 'duplicate-name',
        nodeId: n.id,
        message: `Node name "${n.name}" is already used by node ${names.get(n.name)}`,
      });
    } else names.set(n.name, i);
    const type = registry.get(n.type, n.typeVersion);
    if (!type) {
      const known = registry.has(n.type);
      problems.push({
        path: `/nodes/${i}/${known ? 'typeVersion' : 'type'}`,
        code: 'unknown-node-type',
        nodeId: n.id,
        message: known ? `Node type "${n.type}" has no version ${n.typeVersion}` : `Unknown node type "${n.type}"`,
      });
      return;
    }
    types.set(n.id, type);
    validateParameters(type.parameters, n.parameters ?? {}, `/nodes/${i}/parameters`, n.id, problems);
  });

  const feedbackEdges = new Set<number>();
  wf.connections.forEach((c, j) => {
    for (const [end, id] of [
      ['source', c.source],
      ['target', c.target],
    ] as const) {
      if (!ids.has(id))
        problems.push({
          path: `/connections/${j}/${end}`,
          code: 'dangling-connection',
          message: `Connection ${end} "${id}" is not a node of this workflow`,
        });
    }
    const from = wf.nodes[ids.get(c.source) ?? -1];
    const to = wf.nodes[ids.get(c.target) ?? -1];
    const fromType = types.get(c.source);
    const toType = types.get(c.target);
    if (from && fromType) {
      const port = c.sourcePort ?? 'main';
      const ports = portsOf(fromType.outputs, from.parameters ?? {}, [{ name: 'main' }]);
      const outs = (ports ?? []).map((p) => p.name);
      if (from.onError === 'route') outs.push('error');
      if (ports && !outs.includes(port)) {
        problems.push({
          path: `/connections/${j}/sourcePort`,
          code: 'unknown-port',
          nodeId: from.id,
          message: `Node "${from.name}" has no output "${port}"${outs.length ? ` (outputs: ${outs.join(', ')})` : ' (it has no outputs)'}`,
        });
      }
    }
    if (to && toType) {
      const port = c.targetPort ?? 'main';
      const ins = portsOf(toType.inputs, to.parameters ?? {}, toType.trigger ? [] : [{ name: 'main' }]);
      const spec = ins?.find((p) => p.name === port);
      if (ins && !spec) {
        problems.push({
          path: `/connections/${j}/targetPort`,
          code: 'unknown-port',
          nodeId: to.id,
          message: `Node "${to.name}" has no input "${port}"${ins.length ? ` (inputs: ${ins.map((p) => p.name).join(', ')})` : ' (it has no inputs)'}`,
        });
      } else if (spec?.feedback) feedbackEdges.add(j);
    }
  });
  for (const id of Object.keys(wf.pinData ?? {})) {
    if (!ids.has(id))
      problems.push({
        path: `/pinData/${id.replaceAll('~', '~0').replaceAll('/', '~1')}`,
        code: 'dangling-pin-data',
        message: `Pinned data for "${id}", which is not a node of this workflow`,
      });
  }
  findCycles(wf, feedbackEdges, problems);
  return { valid: problems.length === 0, problems };
}

function schemaMessage(path: string, message: string, value: unknown): string {
  const where = path ? `${path}: ` : '';
  if (message === 'Unexpected property') return `${where}unknown property`;
  if (value === undefined) return `${where}is required (${message.toLowerCase()})`;
  return `${where}${message.toLowerCase()}`;
}

function findCycles(wf: Workflow, feedback: Set<number>, problems: ValidationProblem[]): void {
  const out = new Map<string, { to: string; index: number }[]>();
  wf.connections.forEach((c, j) => {
    if (feedback.has(j)) return;
    out.set(c.source, [...(out.get(c.source) ?? []), { to: c.target, index: j }]);
  });
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const nameOf = (id: string) => wf.nodes.find((n) => n.id === id)?.name ?? id;
  const visit = (id: string): void => {
    state.set(id, 1);
    stack.push(id);
    for (const e of out.get(id) ?? []) {
      const s = state.get(e.to);
      if (s === 1) {
        const cycle = stack.slice(stack.indexOf(e.to)).concat(e.to).map(nameOf);
        problems.push({
          path: `/connections/${e.index}`,
          code: 'cycle',
          nodeId: e.to,
          message: `Connections form a cycle (${cycle.join(' -> ')}); a cycle must close through a loop node's "continue" input`,
        });
      } else if (s === undefined) visit(e.to);
    }
    stack.pop();
    state.set(id, 2);
  };
  for (const n of wf.nodes) if (!state.has(n.id)) visit(n.id);
}
