import type { Item, StickyNote, Workflow, WorkflowSettings } from '@weft/engine';
import { assemble, type SourceEdge, type SourceNode, uniqueId } from '../assemble.js';
import { fillMissingParameters, type ImportOptions } from '../fill-missing-parameters.js';
import { ImportError, parseInput } from '../import-error.js';
import {
  type CredentialPlaceholder,
  type ImportResult,
  summarize,
  type WorkflowImportReport,
} from '../import-report.js';
import { type Mapping, unsupported } from '../mapped-node.js';
import { connectorMappers } from './n8n-connector-mappers.js';
import { flowMappers } from './n8n-flow-mappers.js';
import type { N8nMapper, N8nNode } from './n8n-node.js';
import { transformMappers } from './n8n-transform-mappers.js';

type Params = Record<string, unknown>;

const MAPPERS: Record<string, N8nMapper> = { ...flowMappers, ...transformMappers, ...connectorMappers };

/** n8n node types this importer maps (others become marked placeholders). */
export const n8nNodeTypes: readonly string[] = Object.keys(MAPPERS);

interface N8nWorkflow {
  id?: string | number;
  name?: string;
  nodes: N8nNode[];
  connections: Record<string, Record<string, ({ node: string; type?: string; index?: number }[] | null)[]>>;
  settings?: Params;
  pinData?: Record<string, unknown[]>;
  tags?: (string | { name?: string })[];
}

function workflowsOf(input: unknown): N8nWorkflow[] {
  const doc = parseInput(input);
  const list = Array.isArray(doc)
    ? doc
    : doc && typeof doc === 'object' && Array.isArray((doc as Params).data)
      ? ((doc as Params).data as unknown[])
      : doc && typeof doc === 'object' && Array.isArray((doc as Params).workflows)
        ? ((doc as Params).workflows as unknown[])
        : [doc];
  return list.map((w, i) => {
    const at = Array.isArray(doc) ? `/${i}` : '';
    if (!w || typeof w !== 'object') throw new ImportError('expected an n8n workflow object', at || '/');
    const wf = w as Params;
    if (!Array.isArray(wf.nodes)) throw new ImportError('expected an array of nodes', `${at}/nodes`);
    if (wf.connections !== undefined && (typeof wf.connections !== 'object' || Array.isArray(wf.connections))) {
      throw new ImportError('expected an object of connections by node name', `${at}/connections`);
    }
    (wf.nodes as unknown[]).forEach((n, k) => {
      const node = n as Params;
      if (!node || typeof node !== 'object' || typeof node.name !== 'string' || typeof node.type !== 'string') {
        throw new ImportError('expected a node with a name and a type', `${at}/nodes/${k}`);
      }
    });
    return { ...wf, connections: (wf.connections ?? {}) as N8nWorkflow['connections'] } as N8nWorkflow;
  });
}

function settingsOf(s: Params, notes: string[]): WorkflowSettings | undefined {
  const out: WorkflowSettings = {};
  if (typeof s.errorWorkflow === 'string' && s.errorWorkflow) {
    out.errorWorkflow = s.errorWorkflow;
    notes.push(`errorWorkflow "${s.errorWorkflow}" is the n8n workflow id: import that workflow keeping its id`);
  }
  if (typeof s.timezone === 'string' && s.timezone !== 'DEFAULT') out.timezone = s.timezone;
  if (typeof s.executionTimeout === 'number' && s.executionTimeout > 0) out.timeoutMs = s.executionTimeout * 1000;
  const ok = s.saveDataSuccessExecution;
  const err = s.saveDataErrorExecution;
  if (ok === 'none') out.saveData = err === 'none' ? 'none' : 'errors';
  if (s.executionOrder === 'v0')
    notes.push("n8n's legacy v0 execution order: Weft runs a node once all its inputs settled (like v1)");
  for (const k of ['callerPolicy', 'saveManualExecutions', 'saveExecutionProgress']) {
    if (s[k] !== undefined) notes.push(`setting ${k} has no Weft equivalent`);
  }
  return Object.keys(out).length ? out : undefined;
}

function retryOf(n: N8nNode, diffs: string[]): SourceNode['settings'] {
  const settings: SourceNode['settings'] = {};
  if (n.disabled) settings.disabled = true;
  if (n.notes) settings.notes = n.notes;
  if (n.retryOnFail) {
    settings.retry = {
      attempts: Math.min(100, Math.max(1, Number(n.maxTries ?? 3))),
      baseMs: Number(n.waitBetweenTries ?? 1000),
    };
    diffs.push('retries back off exponentially from the wait time (n8n waits the same time between tries)');
  }
  if (n.onError === 'continueErrorOutput') settings.onError = 'route';
  else if (n.onError === 'continueRegularOutput' || n.continueOnFail) settings.onError = 'continue';
  if (n.alwaysOutputData) diffs.push('"always output data" is not available: an empty output skips the nodes after it');
  if (n.executeOnce) diffs.push('"execute once" is not available: the node runs on every item');
  return settings;
}

/** Which nodes can be reached from `start` along the workflow's connections. */
function reachable(wf: N8nWorkflow, start: string): Set<string> {
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length) {
    const name = todo.pop() as string;
    for (const outs of Object.values(wf.connections[name] ?? {})) {
      for (const list of outs ?? []) {
        for (const c of list ?? []) {
          if (seen.has(c.node)) continue;
          seen.add(c.node);
          todo.push(c.node);
        }
      }
    }
  }
  return seen;
}

function importOne(wf: N8nWorkflow, index: number, credentials: Map<string, CredentialPlaceholder>) {
  const name = (typeof wf.name === 'string' && wf.name.trim()) || `Imported n8n workflow ${index + 1}`;
  const wnotes: string[] = [];
  const settings = settingsOf(wf.settings ?? {}, wnotes);
  const timezone = settings?.timezone;
  const stickies: StickyNote[] = [];
  const ids = new Set<string>();
  const sources: SourceNode[] = [];
  const edges: SourceEdge[] = [];
  const counts = new Map<string, { out: number; in: number }>();
  const count = (n: string) => counts.get(n) ?? counts.set(n, { out: 0, in: 0 }).get(n)!;
  for (const [from, types] of Object.entries(wf.connections)) {
    for (const [type, outs] of Object.entries(types ?? {})) {
      if (type !== 'main') {
        wnotes.push(`"${type}" connections of "${from}" (AI sub-nodes) are not imported`);
        continue;
      }
      (outs ?? []).forEach((list, output) => {
        for (const c of list ?? []) {
          count(from).out = Math.max(count(from).out, output + 1);
          count(c.node).in = Math.max(count(c.node).in, (c.index ?? 0) + 1);
          edges.push({ from, output, to: c.node, input: c.index ?? 0 });
        }
      });
    }
  }
  const loops = new Map<string, Set<string>>();
  const usedCredentials = new Set<string>();
  for (const n of wf.nodes) {
    if (n.type === 'n8n-nodes-base.stickyNote') {
      const p = n.parameters ?? {};
      stickies.push({
        id: uniqueId(n.id ?? n.name, ids),
        text: String(p.content ?? ''),
        position: n.position ?? [0, 0],
        size: [Number(p.width ?? 240), Number(p.height ?? 160)],
        ...(p.color !== undefined ? { color: String(p.color) } : {}),
      });
      continue;
    }
    const version = Number(n.typeVersion ?? 1);
    const c = counts.get(n.name) ?? { out: 0, in: 0 };
    const mapper = MAPPERS[n.type];
    let mapping: Mapping;
    try {
      mapping = mapper
        ? mapper(n.parameters ?? {}, version, n, {
            outputCount: c.out,
            inputCount: c.in,
            ...(timezone ? { timezone } : {}),
          })
        : unsupported(`n8n node type "${n.type}" has no Weft equivalent`, c.out);
    } catch (e) {
      mapping = unsupported(`${n.type} v${version}: ${(e as Error).message}`, c.out);
    }
    const diffs: string[] = [];
    const nodeSettings = retryOf(n, diffs);
    if (nodeSettings.onError === 'route') mapping.outputs.push({ key: '', port: 'error' });
    if (mapping.credentialType) {
      const [credKey, cred] = Object.entries(n.credentials ?? {})[0] ?? [];
      const sourceName = cred?.name ? `${credKey} "${cred.name}"` : (credKey ?? mapping.credentialType);
      const id = `import-${mapping.credentialType}-${(cred?.name ?? credKey ?? 'default').replace(/[^A-Za-z0-9_.-]+/g, '-')}`;
      const placeholder = credentials.get(id) ?? { id, type: mapping.credentialType, sourceName, usedBy: [] };
      placeholder.usedBy.push(n.name);
      credentials.set(id, placeholder);
      usedCredentials.add(id);
      nodeSettings.credentials = { auth: id };
    } else if (n.credentials && Object.keys(n.credentials).length && mapping.status !== 'unsupported') {
      diffs.push(`credential ${Object.keys(n.credentials).join(', ')} is not needed by the Weft node`);
    }
    if (n.type === 'n8n-nodes-base.splitInBatches') loops.set(n.name, reachable(wf, n.name));
    sources.push({
      key: n.name,
      name: n.name,
      id: n.id ?? n.name,
      type: n.type,
      version,
      ...(n.position ? { position: n.position } : {}),
      mapping,
      settings: nodeSettings,
      differences: diffs,
    });
  }
  for (const e of edges) if (loops.get(e.to)?.has(e.from)) e.feedback = true;
  const a = assemble(sources, edges);
  const pinnedData: Record<string, Item[]> = {};
  for (const [node, items] of Object.entries(wf.pinData ?? {})) {
    pinnedData[node] = (items ?? []).map((it) =>
      it && typeof it === 'object' && 'json' in (it as Params) ? (it as Item) : ({ json: it } as Item),
    );
  }
  if (Object.keys(pinnedData).length) {
    wnotes.push(
      `pinned data of ${Object.keys(pinnedData).join(', ')} is not applied (Weft has none): it is in the report as test input`,
    );
  }
  const tags = (wf.tags ?? []).map((t) => (typeof t === 'string' ? t : String(t?.name ?? ''))).filter(Boolean);
  const id = wf.id !== undefined && String(wf.id).length <= 200 && String(wf.id) !== '' ? String(wf.id) : undefined;
  const workflow: Workflow = {
    ...(id ? { id } : {}),
    name,
    nodes: a.nodes,
    connections: a.connections,
    ...(settings ? { settings } : {}),
    ...(stickies.length ? { notes: stickies } : {}),
    ...(tags.length ? { tags } : {}),
  };
  const report: WorkflowImportReport = {
    name,
    nodes: a.reports,
    expressions: a.expressions,
    credentials: [...usedCredentials].map((c) => credentials.get(c) as CredentialPlaceholder),
    notes: [...wnotes, ...a.notes],
    ...(Object.keys(pinnedData).length ? { pinnedData } : {}),
  };
  return { workflow, report };
}

/**
 * Imports n8n workflows: a single export, a list of them, or `n8n export:workflow --all` output
 * (as JSON text or parsed). Every node is kept: mapped exactly, mapped with named differences,
 * or replaced by a marked placeholder that fails with the reason when run.
 *
 * @example
 * ```ts
 * const { workflows, report } = importN8n(readFileSync('workflow.json', 'utf8'), { nodeTypes: registry });
 * for (const n of report.workflows[0].nodes) console.log(n.source, n.status, n.differences);
 * ```
 */
export function importN8n(input: unknown, options: ImportOptions = {}): ImportResult {
  const credentials = new Map<string, CredentialPlaceholder>();
  const results = workflowsOf(input).map((wf, i) => importOne(wf, i, credentials));
  if (options.nodeTypes) for (const r of results) fillMissingParameters(r.workflow, r.report, options.nodeTypes);
  const reports = results.map((r) => r.report);
  return {
    workflows: results.map((r) => r.workflow),
    report: { format: 'n8n', workflows: reports, summary: summarize(reports) },
  };
}
