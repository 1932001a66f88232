import type { StickyNote, Workflow } from '@weft/engine';
import { assemble, type SourceEdge, type SourceNode, uniqueId } from '../assemble.js';
import { fillMissingParameters, type ImportOptions } from '../fill-missing-parameters.js';
import { ImportError, parseInput } from '../import-error.js';
import { type ImportResult, summarize, type WorkflowImportReport } from '../import-report.js';
import { type Mapping, unsupported } from '../mapped-node.js';
import { nodeRedMappers } from './node-red-mappers.js';
import type { NodeRedNode } from './node-red-node.js';

/** Node-RED node types this importer maps (others become marked placeholders). */
export const nodeRedNodeTypes: readonly string[] = [...Object.keys(nodeRedMappers), 'comment'];

function nodesOf(input: unknown): NodeRedNode[] {
  const doc = parseInput(input);
  const list = Array.isArray(doc)
    ? doc
    : doc && typeof doc === 'object'
      ? (doc as { flows?: unknown }).flows
      : undefined;
  if (!Array.isArray(list)) throw new ImportError('expected a Node-RED flows.json: an array of nodes', '/');
  const at = Array.isArray(doc) ? '' : '/flows';
  list.forEach((n, i) => {
    if (!n || typeof n !== 'object' || typeof n.id !== 'string' || typeof n.type !== 'string') {
      throw new ImportError('expected a node with a string id and type', `${at}/${i}`);
    }
  });
  return list as NodeRedNode[];
}

function sticky(n: NodeRedNode, ids: Set<string>): StickyNote {
  const text = [n.name, n.info].filter((x) => typeof x === 'string' && x).join('\n\n');
  return { id: uniqueId(n.id, ids), text, position: [Number(n.x ?? 0), Number(n.y ?? 0)] };
}

function importTab(tab: NodeRedNode, all: NodeRedNode[], index: number) {
  const name = String(tab.label || `Imported Node-RED flow ${index + 1}`);
  const members = all.filter((n) => n.z === tab.id);
  const notes: string[] = [];
  const stickies: StickyNote[] = [];
  const ids = new Set<string>();
  const names = new Set<string>();
  const sources: SourceNode[] = [];
  const edges: SourceEdge[] = [];
  const inTab = new Set(members.map((n) => n.id));
  const respondsFromNode = members.some((n) => n.type === 'http response');
  if (tab.disabled) notes.push('the flow is disabled in Node-RED');
  for (const n of members) {
    if (n.type === 'comment') {
      stickies.push(sticky(n, ids));
      continue;
    }
    if (n.type === 'group' || n.type === 'junction') {
      if (n.type === 'junction') notes.push(`junction ${n.id} is kept as a No operation node`);
      if (n.type === 'group') continue;
    }
    const mapper = n.type === 'junction' ? nodeRedMappers['link in'] : nodeRedMappers[n.type];
    const outputs = (n.wires ?? []).length;
    let mapping: Mapping;
    try {
      mapping = mapper
        ? mapper(n, { respondsFromNode })
        : unsupported(
            n.type.startsWith('subflow:')
              ? 'subflow instances are not imported'
              : `Node-RED node type "${n.type}" has no Weft equivalent`,
            outputs,
          );
    } catch (e) {
      mapping = unsupported(`${n.type}: ${(e as Error).message}`, outputs);
    }
    const differences: string[] = [];
    if ((n.type === 'link out' || n.type === 'link call') && n.mode === 'return') {
      mapping = unsupported('link "return" mode');
    }
    if (n.type === 'link out') {
      mapping.outputs = [{ key: '', port: 'main' }];
      for (const target of (n.links as string[] | undefined) ?? []) {
        if (inTab.has(target)) edges.push({ from: n.id, output: 0, to: target, input: 0 });
        else differences.push(`the link to ${target} in another flow is not followed`);
      }
    }
    let label = String(n.name || `${n.type} ${n.id.slice(0, 6)}`);
    for (let k = 2; names.has(label); k++) label = `${String(n.name || n.type)} ${k}`;
    names.add(label);
    sources.push({
      key: n.id,
      name: label,
      id: n.id,
      type: n.type,
      position: [Number(n.x ?? 0), Number(n.y ?? 0)],
      mapping,
      settings: {
        ...(n.d === true ? { disabled: true } : {}),
        ...(typeof n.info === 'string' && n.info ? { notes: n.info } : {}),
      },
      differences,
    });
    (n.wires ?? []).forEach((targets, output) => {
      for (const to of targets ?? []) edges.push({ from: n.id, output, to, input: 0 });
    });
  }
  const a = assemble(sources, edges);
  const workflow: Workflow = {
    name,
    nodes: a.nodes,
    connections: a.connections,
    ...(typeof tab.info === 'string' && tab.info ? { description: tab.info } : {}),
    ...(stickies.length ? { notes: stickies } : {}),
  };
  const report: WorkflowImportReport = {
    name,
    nodes: a.reports,
    expressions: a.expressions,
    credentials: [],
    notes: [...notes, ...a.notes],
  };
  return { workflow, report };
}

/**
 * Imports a Node-RED `flows.json` (JSON text or parsed; also `{ flows: [...] }` from the admin
 * API): one Weft workflow per tab, each message becoming an item (`msg` is the item's json).
 * Config nodes, subflow definitions and groups are left out and named in the report.
 *
 * @example
 * ```ts
 * const { workflows, report } = importNodeRed(readFileSync('flows.json', 'utf8'));
 * console.log(report.summary); // { workflows: 2, nodes: 14, exact: 9, differences: 4, unsupported: 1, ... }
 * ```
 */
export function importNodeRed(input: unknown, options: ImportOptions = {}): ImportResult {
  const all = nodesOf(input);
  const tabs = all.filter((n) => n.type === 'tab');
  const results = tabs.map((tab, i) => importTab(tab, all, i));
  if (options.nodeTypes) for (const r of results) fillMissingParameters(r.workflow, r.report, options.nodeTypes);
  const subflows = all.filter((n) => n.type === 'subflow');
  const config = all.filter((n) => n.type !== 'tab' && n.type !== 'subflow' && !n.z);
  const first = results[0]?.report;
  if (first) {
    if (subflows.length)
      first.notes.push(`subflow definitions not imported: ${subflows.map((s) => s.name || s.id).join(', ')}`);
    if (config.length)
      first.notes.push(`configuration nodes not imported: ${config.map((c) => `${c.type} ${c.id}`).join(', ')}`);
  }
  const reports = results.map((r) => r.report);
  return {
    workflows: results.map((r) => r.workflow),
    report: { format: 'node-red', workflows: reports, summary: summarize(reports) },
  };
}
