import { html } from 'lit';

interface Evidence {
  executionIds: string[];
  links: string[];
}
interface NodeInsight extends Evidence {
  workflowId: string;
  nodeId?: string;
  nodeName?: string;
}

/** What `POST …/ai/insights` answers (the shape of `@weft/ai`'s `WorkflowInsights`). */
export interface Insights {
  period: { from: number; to: number; executions: number; failed: number };
  failures: Array<NodeInsight & { pattern: string; example: string; count: number; share: number }>;
  flaky: Array<NodeInsight & { recovered: number; runs: number; rate: number }>;
  slow: Array<NodeInsight & { runs: number; p50Ms: number; p95Ms: number; maxMs: number }>;
  costDrivers: Array<NodeInsight & { runs: number; computeMs: number; share: number; cost: number }>;
}

/** One line of the insights list, and the node it concerns (when it concerns one). */
export interface InsightLine {
  kind: 'failure' | 'flaky' | 'slow' | 'cost';
  nodeId?: string;
  text: string;
  executionIds: string[];
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Below this p95 a node is not worth calling slow in the editor. */
const SLOW_MS = 100;
/** Cost drivers under this share of compute time are left out. */
const COST_SHARE = 0.2;

/**
 * Flattens insights into lines, worst first within each kind: failures by their normalised
 * message, flaky nodes, slow nodes by p95 (from 100 ms), then cost drivers (from 20% of compute).
 *
 * @example
 * ```ts
 * insightLines(insights)[0]; // { kind: 'failure', nodeId: 'charge', text: 'Charge: fails 4× …: card declined …', executionIds }
 * ```
 */
export function insightLines(i: Insights): InsightLine[] {
  const at = (x: NodeInsight) => (x.nodeId ? { nodeId: x.nodeId } : {});
  const who = (x: NodeInsight) => (x.nodeName ? `${x.nodeName}: ` : '');
  return [
    ...i.failures.map((f) => ({
      kind: 'failure' as const,
      ...at(f),
      text: `${who(f)}fails ${f.count}× (${pct(f.share)} of failed runs): ${f.example}`,
      executionIds: f.executionIds,
    })),
    ...i.flaky.map((f) => ({
      kind: 'flaky' as const,
      ...at(f),
      text: `${who(f)}flaky, needed a retry in ${f.recovered} of ${f.runs} runs`,
      executionIds: f.executionIds,
    })),
    ...i.slow
      .filter((s) => s.p95Ms >= SLOW_MS)
      .map((s) => ({
        kind: 'slow' as const,
        ...at(s),
        text: `${who(s)}slow, p95 ${Math.round(s.p95Ms)} ms (p50 ${Math.round(s.p50Ms)} ms) over ${s.runs} runs`,
        executionIds: s.executionIds,
      })),
    ...i.costDrivers
      .filter((c) => c.share >= COST_SHARE)
      .map((c) => ({
        kind: 'cost' as const,
        ...at(c),
        text: `${who(c)}${pct(c.share)} of compute time (${Math.round(c.computeMs)} ms in ${c.runs} runs)`,
        executionIds: c.executionIds,
      })),
  ];
}

/**
 * The insights list of the Ask AI panel: each line with links to up to three executions that
 * show it. `period` says what was read, so an empty list is not mistaken for "no data".
 */
export function renderInsights(i: Insights, lines: InsightLine[]) {
  return html`<div class="ai-insights">
    <p class="meta">From ${i.period.executions} recent execution${i.period.executions === 1 ? '' : 's'}, ${i.period.failed} failed</p>
    ${
      lines.length
        ? html`<ul aria-label="Insights">${lines.map(
            (l) => html`<li class=${l.kind}><span>${l.text}</span>
              ${l.executionIds.slice(0, 3).map((id, n) => html` <a href=${`/executions/${encodeURIComponent(id)}`} title=${`Execution ${id}`}>${n ? `#${n + 1}` : 'see run'}</a>`)}</li>`,
          )}</ul>`
        : html`<p class="meta">Nothing stands out: no repeated failures, retries or slow nodes.</p>`
    }
  </div>`;
}
