import { validateWorkflow, type WorkflowNode } from '@weft/engine';
import { type CatalogueEntry, catalogueSource } from '../catalogue/catalogue-entry.js';
import { CatalogueIndex } from '../catalogue/catalogue-index.js';
import { fillParameters } from '../rules/fill-parameters.js';
import { parseCondition } from '../rules/parse-condition.js';
import { parseSchedule } from '../rules/parse-schedule.js';
import { respondFromNode } from '../rules/webhook-response.js';
import type { GenerationResult, Unresolved } from './generation-result.js';
import { type DraftEvent, WorkflowDraft } from './workflow-draft.js';

interface Tail {
  id: string;
  port: string;
}

const VERBS =
  'send|post|create|add|append|save|store|notify|call|fetch|get|read|write|update|upload|download|delete|remove|log|insert|query|run|execute|ask|summari[sz]e|translate|classify|hash|sign|format|convert|parse|publish|increment|comment|open|list|wait|filter|sort|limit|merge|split|aggregate|group|rename|set|respond|reply|stop|fail|email|message|tell|alert|ping|generate|look|check|compute|transform|put|return|keep|react|edit|archive|drop|sum|count|turn';
const NOUN_LIKE = new Set([
  'email',
  'message',
  'list',
  'log',
  'count',
  'sum',
  'group',
  'comment',
  'set',
  'limit',
  'filter',
  'sort',
  'keep',
  'open',
  'sign',
  'format',
  'return',
  'fail',
  'stop',
]);
const VERB_RE = new RegExp(
  `\\b(?:${VERBS.split('|')
    .filter((v) => !NOUN_LIKE.has(v))
    .join('|')})\\b`,
  'i',
);
const SPLIT_RE = new RegExp(
  `\\s*(?:[,;]|\\.\\s+|\\.$|\\band then\\b|\\bthen\\b|\\bafter that\\b|\\band\\s+(?=(?:${VERBS})\\b))\\s*`,
  'i',
);
const TRIGGER_START =
  /^\s*(?:when(?:ever)?|once|on|every time|each time|as soon as|upon|receive|listen for|if a new|for (?:each|every) new)\b\s*/i;
const APPROVAL_RE =
  /\b(?:(?:wait for|ask (?:\w+ ){0,3}for|get|request|needs?|requires?|send (?:it )?for)\s+(?:an? |the |their |human |manager |manager's )*approval|ask (?:a |the |an )?\w+ to approve|needs? to be approved)\b[^,.]*/i;
const IF_RE = /\bif\b/i;
const LOOP_RE = /\bfor (?:each|every)\b|\bloop over\b/i;
const MIN_SCORE = 2.2;
const MIN_TRIGGER_SCORE = 1.5;

const indexes = new WeakMap<readonly CatalogueEntry[], CatalogueIndex>();

function verbIndex(text: string, from = 0): number {
  const m = text.slice(from).match(VERB_RE);
  return m?.index === undefined ? -1 : from + m.index;
}

function clauseEnd(text: string, from: number): number {
  const rest = text.slice(from);
  const stop = rest.search(/,|;|:(?=\s)|\bthen\b/i);
  const v = verbIndex(text, from + 1);
  const ends = [stop >= 0 ? from + stop : text.length, v >= 0 ? v : text.length];
  return Math.min(...ends);
}

/** Splits a plain run of steps at commas, "then", and "and" before a verb; keeps "with …" on its step. */
function segments(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(SPLIT_RE)) {
    const s = raw?.trim().replace(/^(?:and|also|finally|next|after that)\s+/i, '');
    if (!s) continue;
    if (out.length && /^(?:with|saying|including|containing|using|to\s+#|that says)\b/i.test(s)) {
      out[out.length - 1] += `, ${s}`;
    } else out.push(s);
  }
  return out;
}

/**
 * The default generator: no model, no network. It finds the trigger (a schedule read from the
 * words, a `when …` clause matched against the catalogue's triggers, else a manual trigger),
 * splits the rest into steps, reads `if … otherwise …`, `for each …` and `wait for approval` as
 * If, Loop and Approval nodes with their branches, matches every other step against the catalogue
 * with BM25, and fills parameters it can read (channels, cron, URLs, e-mail addresses, …). Steps
 * it cannot match and values it cannot find are listed in `unresolved`, never guessed silently.
 * The workflow always validates against the catalogue.
 *
 * @example
 * ```ts
 * const r = planOffline('Every Monday at 9, post "Standup!" to #team on Slack', catalogue);
 * r.workflow.nodes.map((n) => n.type); // ['weft.schedule', 'slack.sendMessage']
 * ```
 */
export function planOffline(
  prompt: string,
  catalogue: readonly CatalogueEntry[],
  onEvent?: (event: DraftEvent) => void,
): GenerationResult {
  const idx = indexes.get(catalogue) ?? new CatalogueIndex(catalogue);
  indexes.set(catalogue, idx);
  const draft = new WorkflowDraft(catalogue, onEvent);
  const unresolved: Unresolved[] = [];
  const confidences: number[] = [];
  const quotes: string[] = [];
  const masked = prompt.replace(/"[^"]*"|“[^”]*”|'[^']{2,}'/g, (q) => `⟦${quotes.push(q) - 1}⟧`);
  const unmask = (s: string) => s.replace(/⟦(\d+)⟧/g, (_, i: string) => quotes[Number(i)] ?? '');

  const add = (entry: CatalogueEntry, text: string, confidence: number, extra: Record<string, unknown> = {}) => {
    const { parameters, missing } = fillParameters(entry, unmask(text));
    const node = draft.addNode(entry.type, { parameters: { ...parameters, ...extra } });
    for (const m of missing) {
      if (m.parameter in extra) continue;
      unresolved.push({
        text: unmask(text),
        nodeId: node.id,
        parameter: m.parameter,
        reason: `"${m.parameter}" of ${node.name} is not in the prompt; it reads ${m.placeholder} from the incoming item until you set it`,
      });
    }
    confidences.push(confidence);
    return node;
  };
  const link = (from: Tail[], node: WorkflowNode) => {
    for (const t of from) draft.connect(t.id, node.id, t.port);
  };
  const firstOutput = (entry: CatalogueEntry) =>
    Array.isArray(entry.outputs) && entry.outputs.length && !entry.outputs.some((p) => p.name === 'main')
      ? (entry.outputs[0]?.name ?? 'main')
      : 'main';

  const sequence = (text: string, from: Tail[]): Tail[] => {
    let tails = from;
    for (const seg of segments(text)) {
      if (!/[a-z]{3,}/i.test(seg.replace(/⟦\d+⟧/g, ''))) continue;
      const words = seg.replace(/#[\w-]+|\S+@\S+/g, ' ').replace(/https?:\/\/\S+/g, ' url ');
      const hit = idx.search(words, { trigger: false, limit: 1, apps: idx.mentionedApps(words) })[0];
      if (!hit || hit.score < MIN_SCORE) {
        unresolved.push({ text: unmask(seg), reason: 'no node type in the catalogue matches this step' });
        continue;
      }
      const node = add(hit.entry, seg, Math.min(1, hit.score / 8));
      link(tails, node);
      const outs = hit.entry.outputs;
      tails = Array.isArray(outs) && outs.length === 0 ? [] : [{ id: node.id, port: firstOutput(hit.entry) }];
    }
    return tails;
  };

  const rule = (type: string, text: string, extra: Record<string, unknown> = {}) => {
    const entry = idx.get(type);
    return entry ? add(entry, text, 0.95, extra) : undefined;
  };

  const build = (text: string, from: Tail[]): Tail[] => {
    const found = [
      { kind: 'approval' as const, m: text.match(APPROVAL_RE) },
      { kind: 'if' as const, m: text.match(IF_RE) },
      { kind: 'loop' as const, m: text.match(LOOP_RE) },
    ]
      .filter((c) => c.m?.index !== undefined)
      .sort((a, b) => (a.m?.index ?? 0) - (b.m?.index ?? 0))[0];
    if (!found?.m || found.m.index === undefined) return sequence(text, from);
    const at = found.m.index;
    const tails = sequence(text.slice(0, at), from);
    const rest = text.slice(at);
    if (found.kind === 'approval') {
      const node = rule('weft.approval', found.m[0]);
      if (!node) return sequence(rest, tails);
      link(tails, node);
      const after = rest.slice(found.m[0].length);
      const [yes = '', no] = after.split(
        /\b(?:if (?:it is |it's |they are )?(?:rejected|declined|denied)|otherwise|else|if not)\b/i,
      );
      const approved = yes.replace(/^\W*(?:and\s+)?(?:(?:if|once|when)\s+(?:it is\s+|it's\s+)?approved)?\W*/i, '');
      return [
        ...build(approved, [{ id: node.id, port: 'approved' }]),
        ...(no ? build(no, [{ id: node.id, port: 'rejected' }]) : []),
      ];
    }
    if (found.kind === 'if') {
      const [yes = '', no] = rest.slice(2).split(/\b(?:otherwise|else|if not)\b/i);
      const end = clauseEnd(yes, 0);
      const condText = yes.slice(0, end);
      const condition = parseCondition(unmask(condText));
      const node = rule('weft.if', condText, condition ? { conditions: [condition] } : {});
      if (!node) return sequence(rest, tails);
      if (!condition)
        unresolved.push({
          text: unmask(condText).trim(),
          nodeId: node.id,
          parameter: 'conditions',
          reason: 'could not read this as a condition (field, comparison, value); set it on the If node',
        });
      link(tails, node);
      const body = yes.slice(end).replace(/^\s*(?:,|:|then)\s*/i, '');
      return [
        ...build(body, [{ id: node.id, port: 'true' }]),
        ...(no ? build(no, [{ id: node.id, port: 'false' }]) : []),
      ];
    }
    const end = clauseEnd(rest, found.m[0].length);
    const node = rule('weft.loop', rest.slice(0, end));
    if (!node) return sequence(rest, tails);
    link(tails, node);
    const [body = '', after] = rest
      .slice(end)
      .replace(/^\s*(?:,|:|then)\s*/i, '')
      .split(/\b(?:after the loop|when (?:all are |it is |they are )?done|once done|afterwards|finally)\b/i);
    const bodyTails = build(body, [{ id: node.id, port: 'loop' }]);
    for (const t of bodyTails) if (t.id !== node.id) draft.connect(t.id, node.id, t.port, 'continue');
    if (bodyTails.every((t) => t.id === node.id))
      unresolved.push({ text: unmask(rest).trim(), nodeId: node.id, reason: 'the loop has no steps to repeat' });
    return after ? build(after, [{ id: node.id, port: 'done' }]) : [{ id: node.id, port: 'done' }];
  };

  let body = masked.trim();
  let trigger: WorkflowNode | undefined;
  const schedule = parseSchedule(body);
  const start = body.match(TRIGGER_START);
  if (schedule && !(start && schedule.start > clauseEnd(body, start[0].length))) {
    trigger = rule('weft.schedule', schedule.text, schedule.parameters);
    body = `${body.slice(0, schedule.start)} ${body.slice(schedule.end)}`.replace(/^\W+/, '');
  } else if (start) {
    const end = clauseEnd(body, start[0].length);
    const clause = body.slice(start[0].length, end);
    const hit = /\b(?:manual\w*|click\w*|by hand)\b/i.test(clause)
      ? undefined
      : idx.search(`${start[0]} ${clause}`, { trigger: true, limit: 1, apps: idx.mentionedApps(clause) })[0];
    if (hit && hit.score >= MIN_TRIGGER_SCORE) trigger = add(hit.entry, clause, Math.min(1, hit.score / 6));
    else if (!/\b(?:manual\w*|click\w*|by hand)\b/i.test(clause))
      unresolved.push({
        text: unmask(clause).trim(),
        reason: 'no trigger in the catalogue matches; the workflow starts manually',
      });
    body = body.slice(end);
  }
  trigger ??= rule('weft.manualTrigger', '') ?? undefined;
  build(body, trigger ? [{ id: trigger.id, port: 'main' }] : []);

  respondFromNode(draft.nodes, (type) => idx.get(type));
  const source = catalogueSource(catalogue);
  let workflow = draft.toWorkflow(prompt.trim().replace(/\s+/g, ' ').slice(0, 80));
  for (let round = 0; round < 5; round++) {
    const { valid, problems } = validateWorkflow(workflow, source);
    if (valid) break;
    const bad = new Set(problems.map((p) => p.nodeId).filter((id): id is string => Boolean(id)));
    if (!bad.size) {
      for (const c of [...draft.connections]) draft.connections.splice(draft.connections.indexOf(c), 1);
      for (const n of draft.nodes.slice(1)) draft.removeNode(n.id);
    }
    for (const id of bad) {
      const node = draft.nodes.find((n) => n.id === id);
      if (!node) continue;
      unresolved.push({
        text: node.name,
        nodeId: id,
        reason: `left out: ${problems.find((p) => p.nodeId === id)?.message}`,
      });
      draft.removeNode(id);
    }
    workflow = draft.toWorkflow(workflow.name);
  }

  const mean = confidences.length ? confidences.reduce((a, b) => a + b, 0) / confidences.length : 0;
  const confidence = Math.round(mean * 0.85 ** unresolved.length * 100) / 100;
  const lines = workflow.nodes.map((n, i) => {
    const params = Object.entries(n.parameters ?? {})
      .filter(([, v]) => typeof v !== 'object')
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(', ');
    return `${i === 0 ? 'Starts with' : 'Then'} ${n.name} (${n.type})${params ? ` — ${params}` : ''}`;
  });
  for (const u of unresolved) lines.push(`Not resolved: ${u.text ? `"${u.text}": ` : ''}${u.reason}`);
  return { workflow, explanation: lines.join('\n'), confidence, unresolved, source: 'offline' };
}
