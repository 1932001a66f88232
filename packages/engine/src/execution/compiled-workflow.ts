import { type JsonPath, jsonPathOf } from '../expressions/json-path.js';
import { buildExpressionProgram, type SandboxProgram } from '../expressions/programs.js';
import { isTemplate, referencedNodes, templateToExpression } from '../expressions/template.js';
import type { Workflow, WorkflowNode } from '../model/workflow-schema.js';
import type { AnyNodeType, NodeRegistry } from '../nodes/node-registry.js';
import { inputsOf, outputsOf, type PortSpec } from '../nodes/node-type.js';
import type { ParameterFields, ParameterSpec } from '../nodes/parameter-spec.js';
import { EngineError } from './engine-error.js';

/** A connection resolved to its nodes. */
export interface CompiledEdge {
  index: number;
  from: CompiledNode;
  fromPort: string;
  to: CompiledNode;
  toPort: string;
}

/** An expression found in a node's parameters, at `path`. */
export interface ParameterExpression {
  path: (string | number)[];
  source: string;
}

/** A node with everything the executor needs precomputed. */
export interface CompiledNode {
  index: number;
  node: WorkflowNode;
  type: AnyNodeType;
  inputs: PortSpec[];
  outputNames: string[];
  /** Incoming edges per input port. */
  incoming: Map<string, CompiledEdge[]>;
  /** Outgoing edges per output port. */
  outgoing: Map<string, CompiledEdge[]>;
  /** Incoming edges on non-feedback ports: all must settle before the node runs. */
  awaited: CompiledEdge[];
  feedbackPorts: Set<string>;
  /** Parameters with defaults applied; expressions still as text. */
  params: Record<string, unknown>;
  expressions: ParameterExpression[];
  program: SandboxProgram | undefined;
  /** Set when every expression only reads a `$json` path: they are read without the sandbox. */
  jsonPaths: JsonPath[] | undefined;
  /** Nodes referenced with `$("Name")`. */
  references: string[];
  /** For loop nodes: nodes re-run on every iteration. */
  body: CompiledNode[];
}

/** A workflow compiled for execution; cached per workflow object. */
export interface CompiledWorkflow {
  workflow: Workflow;
  nodes: CompiledNode[];
  byId: Map<string, CompiledNode>;
  byName: Map<string, CompiledNode>;
  edges: CompiledEdge[];
  roots: CompiledNode[];
}

const cache = new WeakMap<Workflow, WeakMap<NodeRegistry, CompiledWorkflow>>();

/** Compiles (or returns the cached compilation of) a workflow against a registry. */
export function compileWorkflow(workflow: Workflow, registry: NodeRegistry): CompiledWorkflow {
  let perRegistry = cache.get(workflow);
  const hit = perRegistry?.get(registry);
  if (hit) return hit;
  const compiled = compile(workflow, registry);
  if (!perRegistry) {
    perRegistry = new WeakMap();
    cache.set(workflow, perRegistry);
  }
  perRegistry.set(registry, compiled);
  return compiled;
}

function withDefaults(spec: ParameterFields, given: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...given };
  for (const [name, s] of Object.entries(spec)) {
    if (out[name] === undefined && 'default' in s && s.default !== undefined) out[name] = structuredClone(s.default);
  }
  return out;
}

function findExpressions(value: unknown, path: (string | number)[], out: ParameterExpression[], spec?: ParameterSpec) {
  if (spec && spec.kind === 'code') return;
  if (isTemplate(value)) {
    out.push({ path, source: templateToExpression(value) });
  } else if (Array.isArray(value)) {
    const rowSpec = spec && spec.kind === 'list' ? spec.fields : undefined;
    value.forEach((v, i) => {
      if (rowSpec && v && typeof v === 'object') {
        for (const [k, sub] of Object.entries(v as Record<string, unknown>)) {
          findExpressions(sub, [...path, i, k], out, rowSpec[k]);
        }
      } else findExpressions(v, [...path, i], out);
    });
  } else if (value && typeof value === 'object') {
    const fields = spec && spec.kind === 'collection' ? spec.fields : undefined;
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      findExpressions(v, [...path, k], out, fields?.[k]);
  }
}

function plainPaths(expressions: ParameterExpression[]): JsonPath[] | undefined {
  if (expressions.length === 0) return undefined;
  const paths: JsonPath[] = [];
  for (const e of expressions) {
    const path = jsonPathOf(e.source);
    if (!path) return undefined;
    paths.push(path);
  }
  return paths;
}

function compile(workflow: Workflow, registry: NodeRegistry): CompiledWorkflow {
  const nodes: CompiledNode[] = workflow.nodes.map((node, index) => {
    const type = registry.get(node.type, node.typeVersion);
    if (!type) {
      throw new EngineError('UNKNOWN_NODE_TYPE', `Node "${node.name}" has unknown type "${node.type}"`, {
        nodeId: node.id,
      });
    }
    const params = withDefaults(type.parameters, node.parameters ?? {});
    const expressions: ParameterExpression[] = [];
    const codeRefs: string[] = [];
    for (const [k, v] of Object.entries(params)) {
      findExpressions(v, [k], expressions, type.parameters[k]);
      if (type.parameters[k]?.kind === 'code' && typeof v === 'string') codeRefs.push(...referencedNodes(v));
    }
    const inputs = inputsOf(type, params);
    const outputNames = outputsOf(type, params).map((p) => p.name);
    if (node.onError === 'route' && !outputNames.includes('error')) outputNames.push('error');
    return {
      index,
      node,
      type,
      inputs,
      outputNames,
      incoming: new Map(),
      outgoing: new Map(),
      awaited: [],
      feedbackPorts: new Set(inputs.filter((p) => p.feedback).map((p) => p.name)),
      params,
      expressions,
      program: expressions.length ? buildExpressionProgram(expressions.map((e) => e.source)) : undefined,
      jsonPaths: plainPaths(expressions),
      references: [...new Set([...expressions.flatMap((e) => referencedNodes(e.source)), ...codeRefs])],
      body: [],
    };
  });
  const byId = new Map(nodes.map((n) => [n.node.id, n]));
  const byName = new Map(nodes.map((n) => [n.node.name, n]));
  const edges: CompiledEdge[] = [];
  for (const c of workflow.connections) {
    const from = byId.get(c.source);
    const to = byId.get(c.target);
    if (!from || !to) {
      throw new EngineError('INVALID_WORKFLOW', `Connection ${c.source} -> ${c.target} refers to a missing node`);
    }
    const edge: CompiledEdge = {
      index: edges.length,
      from,
      fromPort: c.sourcePort ?? 'main',
      to,
      toPort: c.targetPort ?? 'main',
    };
    edges.push(edge);
    push(from.outgoing, edge.fromPort, edge);
    push(to.incoming, edge.toPort, edge);
    if (!to.feedbackPorts.has(edge.toPort)) to.awaited.push(edge);
  }
  for (const n of nodes) if (n.feedbackPorts.size) n.body = loopBody(n);
  const triggers = nodes.filter((n) => n.type.trigger);
  const roots = triggers.length ? triggers : nodes.filter((n) => n.awaited.length === 0 && n.feedbackPorts.size === 0);
  return { workflow, nodes, byId, byName, edges, roots };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Nodes reachable from the loop's iteration outputs (every output but `done`), not passing the loop itself. */
function loopBody(loop: CompiledNode): CompiledNode[] {
  const seen = new Set<CompiledNode>();
  const stack: CompiledNode[] = [];
  for (const [port, edges] of loop.outgoing) if (port !== 'done') for (const e of edges) stack.push(e.to);
  while (stack.length) {
    const n = stack.pop() as CompiledNode;
    if (n === loop || seen.has(n)) continue;
    seen.add(n);
    for (const edges of n.outgoing.values()) for (const e of edges) stack.push(e.to);
  }
  return [...seen].sort((a, b) => a.index - b.index);
}
