import type { Connection, WorkflowNode } from '@weft/engine';
import type { ExpressionIssue, NodeReport } from './import-report.js';
import type { Mapping, PortRef } from './mapped-node.js';
import { resolveValues } from './n8n/n8n-values.js';

/** A source node with its mapping and the node-level settings carried over. */
export interface SourceNode {
  /** How edges refer to it (n8n: its name; Node-RED: its id). */
  key: string;
  name: string;
  id: string;
  type: string;
  version?: number;
  position?: [number, number];
  mapping: Mapping;
  settings: Partial<Pick<WorkflowNode, 'disabled' | 'notes' | 'retry' | 'onError' | 'credentials'>>;
  /** Differences of the node's settings (retry, error handling), beside the mapping's. */
  differences: string[];
}

/** A connection between source nodes, by output and input index. */
export interface SourceEdge {
  from: string;
  output: number;
  to: string;
  input: number;
  /** The edge closes a loop back into a loop node. */
  feedback?: boolean;
}

/** The Weft nodes, connections, per-node reports and untranslated expressions of one workflow. */
export interface Assembled {
  nodes: WorkflowNode[];
  connections: Connection[];
  reports: NodeReport[];
  expressions: ExpressionIssue[];
  notes: string[];
}

const ID_CHARS = /[^A-Za-z0-9_.-]+/g;

/** A readable id: the text's letters and digits, made unique within `used`. */
export function uniqueId(text: string, used: Set<string>): string {
  const base =
    text
      .replace(ID_CHARS, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 180) || 'node';
  let id = base;
  for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
  used.add(id);
  return id;
}

const refs = (r: PortRef | PortRef[] | undefined): PortRef[] => (r === undefined ? [] : Array.isArray(r) ? r : [r]);

/**
 * Turns mapped source nodes and edges into Weft nodes and connections, resolving n8n expressions
 * in their parameters and reporting what happened to each source node.
 *
 * @example
 * ```ts
 * const { nodes, connections, reports } = assemble([source], []);
 * ```
 */
export function assemble(sources: SourceNode[], edges: SourceEdge[]): Assembled {
  const nodes: WorkflowNode[] = [];
  const reports: NodeReport[] = [];
  const expressions: ExpressionIssue[] = [];
  const notes: string[] = [];
  const ids = new Set<string>();
  const names = new Set<string>(sources.map((s) => s.name));
  const placed = new Map<string, Map<string, WorkflowNode>>();

  for (const s of sources) {
    const byKey = new Map<string, WorkflowNode>();
    const differences = [...s.mapping.differences, ...s.differences];
    let untranslated = 0;
    s.mapping.nodes.forEach((planned, k) => {
      let name = s.name;
      if (planned.key !== '') {
        name = `${s.name} · ${planned.key}`;
        for (let n = 2; names.has(name); n++) name = `${s.name} · ${planned.key} ${n}`;
        names.add(name);
      }
      const id = uniqueId(planned.key === '' ? s.id : `${s.id}-${planned.key}`, ids);
      const pointer = `/nodes/${nodes.length}/parameters`;
      const resolved = resolveValues(planned.parameters, pointer);
      for (const i of resolved.issues) expressions.push({ node: name, ...i });
      untranslated += resolved.issues.length;
      for (const d of resolved.differences) if (!differences.includes(d)) differences.push(d);
      const node: WorkflowNode = {
        id,
        name,
        type: planned.type,
        parameters: resolved.value as Record<string, unknown>,
        ...(s.position ? { position: [s.position[0] + k * 220, s.position[1]] as [number, number] } : {}),
        ...(planned.notes ? { notes: planned.notes } : {}),
      };
      if (s.settings.disabled) node.disabled = true;
      if (planned.key === '' || k === s.mapping.nodes.length - 1) {
        if (s.settings.retry) node.retry = s.settings.retry;
        if (s.settings.onError) node.onError = s.settings.onError;
      }
      if (s.settings.notes && planned.key === '')
        node.notes = node.notes ? `${node.notes}\n\n${s.settings.notes}` : s.settings.notes;
      if (s.settings.credentials && planned.key === '') node.credentials = s.settings.credentials;
      byKey.set(planned.key, node);
      nodes.push(node);
    });
    placed.set(s.key, byKey);
    if (untranslated) differences.push(`${untranslated} expression(s) could not be translated (see expressions)`);
    const status = s.mapping.status === 'unsupported' ? 'unsupported' : differences.length ? 'differences' : 'exact';
    reports.push({
      source: s.name,
      sourceType: s.type,
      ...(s.version !== undefined ? { sourceVersion: s.version } : {}),
      nodes: [...byKey.values()].map((n) => n.name),
      status,
      differences,
    });
  }

  const connections: Connection[] = [];
  for (const s of sources) {
    const byKey = placed.get(s.key) as Map<string, WorkflowNode>;
    for (const e of s.mapping.edges) {
      const from = byKey.get(e.from);
      const to = byKey.get(e.to);
      if (from && to) connections.push(conn(from.id, e.fromPort ?? 'main', to.id, e.toPort ?? 'main'));
    }
  }
  const seen = new Set<string>();
  const srcByKey = new Map(sources.map((s) => [s.key, s]));
  for (const e of edges) {
    const a = srcByKey.get(e.from);
    const b = srcByKey.get(e.to);
    if (!a || !b) {
      notes.push(`a connection from "${e.from}" to "${e.to}" names a node that is not in the workflow; dropped`);
      continue;
    }
    const outs = refs(a.mapping.outputs[e.output]);
    if (!outs.length)
      notes.push(`output ${e.output} of "${a.name}" has no Weft port; its connection to "${b.name}" is dropped`);
    const input = e.feedback ? { key: '', port: 'continue' } : (b.mapping.inputs[e.input] ?? b.mapping.inputs[0]);
    if (!input) continue;
    for (const out of outs) {
      const from = placed.get(a.key)?.get(out.key);
      const to = placed.get(b.key)?.get(input.key);
      if (!from || !to) continue;
      const c = conn(from.id, out.port, to.id, input.port);
      const k = JSON.stringify(c);
      if (!seen.has(k)) connections.push(c);
      seen.add(k);
    }
  }
  return { nodes, connections, reports, expressions, notes };
}

function conn(source: string, sourcePort: string, target: string, targetPort: string): Connection {
  return {
    source,
    target,
    ...(sourcePort !== 'main' ? { sourcePort } : {}),
    ...(targetPort !== 'main' ? { targetPort } : {}),
  };
}
