import { type Connection, validateWorkflow, type Workflow, type WorkflowNode } from '@weft/engine';
import { type CatalogueEntry, catalogueSource } from '../catalogue/catalogue-entry.js';
import { CatalogueIndex } from '../catalogue/catalogue-index.js';
import type { GenerationResult, Unresolved } from '../planner/generation-result.js';
import { type DraftEvent, WorkflowDraft } from '../planner/workflow-draft.js';
import { fillParameters, quotedText } from '../rules/fill-parameters.js';
import { parseSchedule } from '../rules/parse-schedule.js';
import { respondFromNode } from '../rules/webhook-response.js';
import { findNode } from './find-node.js';

/** BM25 score a step needs to count as a match (the planner's threshold). */
const MIN_SCORE = 2.2;
const EDIT_VERBS =
  'add|insert|append|put|include|remove|delete|drop|take out|get rid of|change|set|make|update|switch|rename';
const SPLIT_RE = new RegExp(
  `\\s*(?:;|\\.\\s+|\\.$|,?\\s*\\b(?:and )?then\\b|,?\\s*\\b(?:and|also)\\s+(?=(?:${EDIT_VERBS})\\b))\\s*`,
  'i',
);
const REMOVE_RE = /^(?:please\s+)?(?:remove|delete|drop|take out|get rid of)\s+(.+)$/i;
const RENAME_RE = /^(?:please\s+)?rename\s+(.+?)\s+to\s+(.+)$/i;
const CHANGE_RE = /^(?:please\s+)?(?:change|set|make|update|switch)\s+(?:the\s+)?(.+?)\s+to\s+(.+)$/i;
const BRANCH_OF_RE =
  /^(?:please\s+)?(?:add|insert|append|put|include)\s+(.+?)\s+(?:on|to|in)\s+the\s+(\w+)\s+(?:branch|path|output|side)\s+of\s+(.+)$/i;
const ADD_RE =
  /^(?:please\s+)?(?:add|insert|append|put|include)\s+(.+?)(?:\s+(after|before)\s+(.+?))?(?:\s+at the end)?$/i;
const BRANCH_RE = /\s*\b(?:on|in)\s+(?:the\s+|its\s+)?(\w+)\s+(?:branch|path|output|side)\b\s*/i;
const BRANCH_WORDS: Record<string, string> = { yes: 'true', no: 'false', otherwise: 'false', else: 'false' };

const indexes = new WeakMap<readonly CatalogueEntry[], CatalogueIndex>();

/**
 * Edits an existing workflow from a request in plain words, offline: "add a Slack message after
 * the IF" (or before a node, on a named branch, at the end), "remove the wait" (its neighbours are
 * joined), "change the schedule to every Friday at 8", "set the channel of the Slack message to
 * #ops", "rename X to Y". Instructions are split at `;`, sentences, "then" and "and" before an edit
 * verb; each one is applied only if the workflow still validates, otherwise it is listed in
 * `unresolved` with the reason, so the result always validates.
 *
 * @example
 * ```ts
 * const r = editOffline(workflow, 'remove the wait and add a Slack message to #ops after the IF', catalogue);
 * ```
 */
export function editOffline(
  base: Workflow,
  prompt: string,
  catalogue: readonly CatalogueEntry[],
  onEvent?: (event: DraftEvent) => void,
): GenerationResult {
  const idx = indexes.get(catalogue) ?? new CatalogueIndex(catalogue);
  indexes.set(catalogue, idx);
  const source = catalogueSource(catalogue);
  const unresolved: Unresolved[] = [];
  const lines: string[] = [];
  let current = base;
  const quotes: string[] = [];
  const masked = prompt.replace(/"[^"]*"|“[^”]*”/g, (q) => `⟦${quotes.push(q) - 1}⟧`);
  const unmask = (s: string) => s.replace(/⟦(\d+)⟧/g, (_, i: string) => quotes[Number(i)] ?? '');

  for (const part of masked.split(SPLIT_RE)) {
    const text = unmask(part?.trim().replace(/^(?:and|also|finally|next)\s+/i, '') ?? '');
    if (!/[a-z]{2,}/i.test(text)) continue;
    const events: DraftEvent[] = [];
    const draft = WorkflowDraft.from(current, catalogue, (e) => events.push(e));
    const fail = (reason: string, extra: Partial<Unresolved> = {}) => unresolved.push({ text, reason, ...extra });
    const missing: Unresolved[] = [];
    const outcome = apply(draft, text, idx, catalogue, missing);
    if (typeof outcome !== 'string') {
      fail(outcome.reason);
      continue;
    }
    respondFromNode(draft.nodes, (type) => idx.get(type));
    const next = { ...current, ...draft.toWorkflow(current.name), name: current.name };
    const { valid, problems } = validateWorkflow(next, source);
    if (!valid) {
      fail(`not applied, the workflow would not validate: ${problems[0]?.path} ${problems[0]?.message}`);
      continue;
    }
    current = next;
    lines.push(outcome);
    unresolved.push(...missing);
    for (const e of events) onEvent?.(e);
  }
  if (!lines.length && !unresolved.length) unresolved.push({ text: prompt, reason: 'no change found in the request' });
  for (const u of unresolved) lines.push(`Not resolved: "${u.text}": ${u.reason}`);
  const confidence = lines.length ? Math.round(0.9 * 0.8 ** unresolved.length * 100) / 100 : 0;
  return { workflow: current, explanation: lines.join('\n'), confidence, unresolved, source: 'offline' };
}

type Outcome = string | { reason: string };

function firstOutput(entry: CatalogueEntry | undefined): string | undefined {
  if (!entry || !Array.isArray(entry.outputs)) return 'main';
  if (!entry.outputs.length) return undefined;
  return entry.outputs.some((p) => p.name === 'main') ? 'main' : entry.outputs[0]?.name;
}

function apply(
  draft: WorkflowDraft,
  text: string,
  idx: CatalogueIndex,
  catalogue: readonly CatalogueEntry[],
  unresolved: Unresolved[],
): Outcome {
  const find = (phrase: string) => findNode(draft.nodes, phrase, catalogue);
  let m = text.match(RENAME_RE);
  if (m) {
    const hit = find(m[1] as string);
    if (!hit.node) return hit;
    const name = (quotedText(m[2] as string) ?? (m[2] as string)).trim();
    if (draft.nodes.some((n) => n.name === name && n !== hit.node))
      return { reason: `a node is already named "${name}"` };
    const old = hit.node.name;
    hit.node.name = name;
    return `Renamed "${old}" to "${name}"`;
  }
  m = text.match(REMOVE_RE);
  if (m) {
    const hit = find(m[1] as string);
    if (!hit.node) return hit;
    return remove(draft, hit.node);
  }
  m = text.match(CHANGE_RE);
  if (m) return change(draft, m[1] as string, m[2] as string, idx, catalogue);
  let what: string;
  let where: 'after' | 'before' | 'end' = 'end';
  let anchorText = '';
  let branch: string | undefined;
  m = text.match(BRANCH_OF_RE);
  const add = text.match(ADD_RE);
  if (m) {
    [what, branch, anchorText, where] = [m[1] as string, m[2] as string, m[3] as string, 'after'];
  } else if (add) {
    what = add[1] as string;
    if (add[2]) [where, anchorText] = [add[2].toLowerCase() as 'after' | 'before', add[3] as string];
  } else what = text;
  const b = anchorText.match(BRANCH_RE) ?? what.match(BRANCH_RE);
  if (b) {
    branch = b[1] as string;
    anchorText = anchorText.replace(BRANCH_RE, ' ').trim();
    what = what.replace(BRANCH_RE, ' ').trim();
  }
  const words = what
    .replace(/"[^"]*"|“[^”]*”/g, ' ')
    .replace(/#[\w-]+|\S+@\S+/g, ' ')
    .replace(/https?:\/\/\S+/g, ' url ');
  // "add a Slack message" names a thing to create: read it as sending or adding one.
  const query = /^(?:a|an|another|one|some)\s/i.test(what) ? `send add ${words}` : words;
  const found = idx.search(query, { trigger: false, limit: 1, apps: idx.mentionedApps(words) })[0];
  if (!found || found.score < MIN_SCORE) return { reason: 'no node type in the catalogue matches this' };
  const types = new Map(catalogue.map((e) => [e.type, e]));
  let anchor: WorkflowNode | undefined;
  if (anchorText) {
    const hit = find(anchorText);
    if (!hit.node) return hit;
    anchor = hit.node;
  } else {
    const leaves = draft.nodes.filter(
      (n) => firstOutput(types.get(n.type)) && !draft.connections.some((c) => c.source === n.id),
    );
    anchor = leaves.at(-1) ?? draft.nodes[0];
  }
  const { parameters, missing } = fillParameters(found.entry, what);
  const node = draft.addNode(found.entry.type, { parameters });
  for (const x of missing)
    unresolved.push({
      text: what,
      nodeId: node.id,
      parameter: x.parameter,
      reason: `"${x.parameter}" of ${node.name} is not in the request; it reads ${x.placeholder} from the incoming item until you set it`,
    });
  if (!anchor) return `Added ${node.name}`;
  const out = firstOutput(found.entry);
  if (where === 'before') {
    const into = draft.connections.filter((c) => c.target === anchor.id && (c.targetPort ?? 'main') === 'main');
    for (const c of into) {
      draft.disconnect(c);
      draft.connect(c.source, node.id, c.sourcePort ?? 'main');
    }
    if (out) draft.connect(node.id, anchor.id);
    return `Added ${node.name} before ${anchor.name}`;
  }
  const anchorEntry = types.get(anchor.type);
  const ports = Array.isArray(anchorEntry?.outputs) ? anchorEntry.outputs.map((p) => p.name) : ['main'];
  const wanted = branch ? (BRANCH_WORDS[branch.toLowerCase()] ?? branch.toLowerCase()) : undefined;
  if (wanted && !ports.includes(wanted))
    return { reason: `${anchor.name} has no "${branch}" output (it has ${ports.join(', ') || 'none'})` };
  const port =
    wanted ??
    ports.find((p) => !draft.connections.some((c) => c.source === anchor.id && (c.sourcePort ?? 'main') === p)) ??
    ports[0];
  if (!port) return { reason: `${anchor.name} has no output to connect from` };
  const after = draft.connections.filter(
    (c) => c.source === anchor.id && (c.sourcePort ?? 'main') === port && c.targetPort !== 'continue',
  );
  for (const c of after) draft.disconnect(c);
  draft.connect(anchor.id, node.id, port);
  if (out) for (const c of after) draft.connect(node.id, c.target, out, c.targetPort ?? 'main');
  return `Added ${node.name} after ${anchor.name}${port !== 'main' ? ` (${port} output)` : ''}`;
}

function remove(draft: WorkflowDraft, node: WorkflowNode): Outcome {
  const into = draft.connections.filter((c) => c.target === node.id);
  const out = draft.connections.filter((c) => c.source === node.id);
  const outPorts = new Set(out.map((c) => c.sourcePort ?? 'main'));
  const joined: Connection[] = [];
  if (outPorts.size <= 1)
    for (const i of into)
      for (const o of out)
        if (i.source !== o.target) joined.push({ ...i, target: o.target, targetPort: o.targetPort ?? 'main' });
  draft.removeNode(node.id);
  const names: string[] = [];
  for (const c of joined) {
    const exists = draft.connections.some(
      (x) =>
        x.source === c.source &&
        x.target === c.target &&
        (x.sourcePort ?? 'main') === (c.sourcePort ?? 'main') &&
        (x.targetPort ?? 'main') === (c.targetPort ?? 'main'),
    );
    if (exists) continue;
    draft.connect(c.source, c.target, c.sourcePort ?? 'main', c.targetPort ?? 'main');
    names.push(`${draft.find(c.source).name} → ${draft.find(c.target).name}`);
  }
  return `Removed ${node.name}${names.length ? ` and connected ${names.join(', ')}` : ''}`;
}

function change(
  draft: WorkflowDraft,
  target: string,
  value: string,
  idx: CatalogueIndex,
  catalogue: readonly CatalogueEntry[],
): Outcome {
  const of = target.match(/^(.+?)\s+(?:of|on|in|for)\s+(?:the\s+)?(.+)$/i);
  const paramPhrase = of ? (of[1] as string) : target;
  let hit = findNode(draft.nodes, of ? (of[2] as string) : target, catalogue);
  if (!hit.node && of) hit = findNode(draft.nodes, target, catalogue);
  if (!hit.node) return hit;
  const node = hit.node;
  const entry = idx.get(node.type);
  if (!entry) return { reason: `${node.name} has a type this host does not know` };
  const schedule = node.type === 'weft.schedule' ? parseSchedule(value) : undefined;
  if (schedule) {
    for (const k of ['cron', 'everyMinutes', 'mode']) delete node.parameters[k];
    for (const [k, v] of Object.entries(schedule.parameters)) draft.setParameter(node.id, k, v);
    const said =
      'cron' in schedule.parameters
        ? `cron ${schedule.parameters.cron}`
        : `every ${schedule.parameters.everyMinutes} min`;
    return `Changed the schedule of ${node.name} to ${said}`;
  }
  const names = Object.keys(entry.parameters).filter((k) => entry.parameters[k]?.kind !== 'credential');
  const phraseWords = paramPhrase.toLowerCase();
  const named = names.find((k) => new RegExp(`\\b${k.replace(/([A-Z])/g, ' $1').toLowerCase()}\\b`).test(phraseWords));
  const filled = fillParameters(entry, `${named ?? ''} ${value}`).parameters;
  const readable = Object.entries(filled).filter(([, v]) => !(typeof v === 'string' && v.startsWith('{{')));
  if (named) {
    const spec = entry.parameters[named];
    const raw = (quotedText(value) ?? value).trim();
    const v =
      filled[named] !== undefined && !String(filled[named]).startsWith('{{')
        ? filled[named]
        : spec?.kind === 'number'
          ? Number(raw)
          : raw;
    if (spec?.kind === 'number' && !Number.isFinite(v)) return { reason: `"${value}" is not a number for ${named}` };
    draft.setParameter(node.id, named, v);
    return `Set ${named} of ${node.name} to ${JSON.stringify(v)}`;
  }
  if (!readable.length) return { reason: `could not tell which setting of ${node.name} to change to "${value}"` };
  for (const [k, v] of readable) draft.setParameter(node.id, k, v);
  return `Set ${readable.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ')} on ${node.name}`;
}
