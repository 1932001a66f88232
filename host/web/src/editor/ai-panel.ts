import type { WeftCanvas } from '@weft/canvas';
import type { Connection, Workflow, WorkflowNode } from '@weft/engine';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { type AiDraftEvent, applyAiEvent } from './ai-draft.js';
import { type InsightLine, type Insights, insightLines, renderInsights } from './ai-insights.js';
import { applyPatch, type PatchOperation } from './json-patch.js';

interface Unresolved {
  text: string;
  reason: string;
}
interface Diff {
  addedNodes: WorkflowNode[];
  removedNodes: WorkflowNode[];
  changedNodes: { id: string; name: string; parameters: string[] }[];
  addedConnections: Connection[];
  removedConnections: Connection[];
}
interface Answer {
  workflow: Workflow;
  explanation: string;
  confidence: number;
  unresolved: Unresolved[];
  source: string;
  diff?: Diff;
}
interface Finding {
  code: string;
  message: string;
  nodeIds: string[];
  patch: PatchOperation[];
  estimatedSaving: string;
}

/** Detail of the `ai-accept` event: the workflow to show in the editor, and whether to save it. */
export interface AiAcceptDetail {
  workflow: Workflow;
  save: boolean;
  notice: string;
}

/**
 * The editor's "Ask AI" panel. A request in plain words builds a new workflow, or changes the
 * saved one ("add a Slack message after the IF"); progress streams from
 * `POST …/ai/generate/stream` and is drawn on `canvas` as it is built; the answer shows what was
 * added, removed and changed and what could not be resolved, to Accept (fires `ai-accept`) or
 * Reject (the canvas goes back). "Find optimisations" draws findings on the nodes they concern;
 * Apply patches the workflow and fires `ai-accept` with `save: true` (a new version). "Show
 * insights" reads the workflow's recent executions (`POST …/ai/insights`) and draws failure causes,
 * flaky, slow and costly nodes on the nodes they concern, with links to the executions.
 */
export class AiPanel extends LightElement {
  static override properties = {
    workflowId: { attribute: false },
    doc: { attribute: false },
    canvas: { attribute: false },
    prompt: { state: true },
    busy: { state: true },
    built: { state: true },
    answer: { state: true },
    findings: { state: true },
    insights: { state: true },
    error: { state: true },
  };
  declare workflowId: string | undefined;
  declare doc: Workflow | undefined;
  declare canvas: WeftCanvas | undefined;
  declare prompt: string;
  declare busy: boolean;
  declare built: number;
  declare answer: Answer | undefined;
  declare findings: Finding[] | undefined;
  declare insights: { report: Insights; lines: InsightLine[] } | undefined;
  declare error: string | undefined;
  #before: Workflow | undefined;

  constructor() {
    super();
    this.prompt = '';
    this.busy = false;
    this.built = 0;
  }

  /** The canvas to draw on: the one given, else the editor's. */
  get #canvas(): WeftCanvas | undefined {
    return (
      this.canvas ?? (this.closest('weft-editor-view')?.querySelector('weft-canvas') as WeftCanvas | null) ?? undefined
    );
  }

  get #editing(): boolean {
    return Boolean(this.workflowId && this.workflowId !== 'new' && this.doc?.nodes.length);
  }

  #base(): string {
    return `/workspaces/${encodeURIComponent(appState.workspaceId as string)}/ai`;
  }

  async generate(): Promise<void> {
    if (!this.prompt.trim() || this.busy) return;
    this.reject();
    this.busy = true;
    this.error = undefined;
    this.built = 0;
    this.#before = this.doc;
    const editing = this.#editing;
    const placed = new Set(editing ? (this.doc?.nodes ?? []).map((n) => n.id) : []);
    let shown: Workflow = editing && this.doc ? this.doc : { name: 'Generated workflow', nodes: [], connections: [] };
    try {
      const res = await appState.client.transport.raw('POST', `${this.#base()}/generate/stream`, {
        body: { prompt: this.prompt, ...(editing ? { workflowId: this.workflowId } : {}) },
      });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          cut = buffer.indexOf('\n\n');
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!event || data === undefined) continue;
          const payload = JSON.parse(data);
          if (event === 'result') this.answer = payload as Answer;
          else if (event === 'error') this.error = (payload as { detail: string }).detail;
          else {
            shown = applyAiEvent(shown, payload as AiDraftEvent, placed);
            if (event === 'node-added') this.built++;
            const canvas = this.#canvas;
            if (canvas) canvas.workflow = shown;
          }
        }
      }
      const canvas = this.#canvas;
      if (this.answer && canvas) canvas.workflow = this.answer.workflow;
      else if (canvas && this.#before) canvas.workflow = this.#before;
    } catch (e) {
      this.error = errorMessage(e);
      const canvas = this.#canvas;
      if (canvas && this.#before) canvas.workflow = this.#before;
    } finally {
      this.busy = false;
    }
  }

  accept(): void {
    const answer = this.answer;
    if (!answer) return;
    const workflow =
      this.#editing && this.doc ? { ...this.doc, ...answer.workflow, name: this.doc.name } : answer.workflow;
    this.answer = undefined;
    this.#before = undefined;
    this.prompt = '';
    this.#emit({ workflow, save: false, notice: 'AI changes accepted: save to keep them' });
  }

  reject(): void {
    const canvas = this.#canvas;
    if (this.answer && canvas && this.#before) canvas.workflow = this.#before;
    this.answer = undefined;
    this.#before = undefined;
  }

  async optimise(): Promise<void> {
    if (!this.workflowId || this.workflowId === 'new') return;
    this.busy = true;
    this.error = undefined;
    try {
      const r = await appState.client.transport.request<{ items: Finding[] }>('POST', `${this.#base()}/optimize`, {
        body: { workflowId: this.workflowId },
      });
      this.findings = r.items;
      const canvas = this.#canvas;
      if (canvas)
        canvas.problems = r.items.flatMap((f) =>
          f.nodeIds.map((nodeId) => ({ nodeId, path: '', message: `Optimisation: ${f.message}` })),
        );
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.busy = false;
    }
  }

  async showInsights(): Promise<void> {
    if (!this.workflowId || this.workflowId === 'new') return;
    this.busy = true;
    this.error = undefined;
    try {
      const report = await appState.client.transport.request<Insights>('POST', `${this.#base()}/insights`, {
        body: { workflowId: this.workflowId },
      });
      const lines = insightLines(report);
      this.insights = { report, lines };
      const canvas = this.#canvas;
      if (canvas)
        canvas.problems = lines.flatMap((l) =>
          l.nodeId ? [{ nodeId: l.nodeId, path: '', message: `Insight: ${l.text}` }] : [],
        );
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.busy = false;
    }
  }

  apply(f: Finding): void {
    if (!this.doc) return;
    try {
      const workflow = applyPatch(this.doc, f.patch);
      this.findings = this.findings?.filter((x) => x !== f);
      const canvas = this.#canvas;
      if (canvas) canvas.problems = [];
      this.#emit({ workflow, save: true, notice: `Applied: ${f.message}` });
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  #emit(detail: AiAcceptDetail): void {
    this.dispatchEvent(new CustomEvent<AiAcceptDetail>('ai-accept', { bubbles: true, composed: true, detail }));
  }

  #name(id: string): string {
    return (
      this.answer?.workflow.nodes.find((n) => n.id === id)?.name ?? this.doc?.nodes.find((n) => n.id === id)?.name ?? id
    );
  }

  #renderDiff(d: Diff) {
    const edge = (c: Connection) =>
      `${this.#name(c.source)}${c.sourcePort && c.sourcePort !== 'main' ? ` (${c.sourcePort})` : ''} → ${this.#name(c.target)}`;
    return html`<ul class="ai-diff" aria-label="Changes">
      ${d.addedNodes.map((n) => html`<li class="added">+ ${n.name}</li>`)}
      ${d.removedNodes.map((n) => html`<li class="removed">− ${n.name}</li>`)}
      ${d.changedNodes.map((n) => html`<li class="changed">~ ${n.name}${n.parameters.length ? `: ${n.parameters.join(', ')}` : ''}</li>`)}
      ${d.addedConnections.map((c) => html`<li class="added">+ ${edge(c)}</li>`)}
      ${d.removedConnections.map((c) => html`<li class="removed">− ${edge(c)}</li>`)}
    </ul>`;
  }

  #renderAnswer(a: Answer) {
    const diff = a.diff;
    return html`<div class="ai-answer" role="region" aria-label="AI proposal">
      <p class="meta">${a.workflow.nodes.length} nodes · confidence ${Math.round(a.confidence * 100)}% · ${a.source}</p>
      ${diff ? this.#renderDiff(diff) : html`<ol class="ai-steps">${a.workflow.nodes.map((n) => html`<li>${n.name}</li>`)}</ol>`}
      ${
        a.unresolved.length
          ? html`<p class="ai-unresolved-title">Check these:</p>
            <ul class="ai-unresolved">${a.unresolved.map((u) => html`<li>${u.reason}</li>`)}</ul>`
          : ''
      }
      <div class="row">
        <button class="primary" @click=${() => this.accept()}>Accept</button>
        <button @click=${() => this.reject()}>Reject</button>
      </div>
    </div>`;
  }

  override render() {
    const editing = this.#editing;
    return html`<style>
        .ai-panel { display: grid; gap: 0.5rem; padding: 0.75rem; border: 1px solid var(--border, #e5e7eb); border-radius: 8px; }
        .ai-panel h3 { margin: 0; font-size: 0.95rem; }
        .ai-panel textarea { width: 100%; box-sizing: border-box; font: inherit; resize: vertical; }
        .ai-panel .row { display: flex; gap: 0.5rem; flex-wrap: wrap; }
        .ai-panel ul, .ai-panel ol { margin: 0; padding-left: 1.2rem; }
        .ai-diff { list-style: none; padding-left: 0 !important; font-family: ui-monospace, monospace; font-size: 0.85rem; }
        .ai-diff .added { color: #15803d; }
        .ai-diff .removed { color: #b91c1c; }
        .ai-diff .changed { color: #a16207; }
        .ai-unresolved { font-size: 0.85rem; color: #a16207; }
        .ai-findings li { display: flex; gap: 0.5rem; align-items: baseline; flex-wrap: wrap; }
        .ai-insights ul { font-size: 0.85rem; }
        .ai-insights .failure { color: #b91c1c; }
      </style>
      <section class="ai-panel" aria-label="Ask AI">
      <h3>Ask AI</h3>
      <textarea aria-label="Ask AI" rows="3" .value=${this.prompt} ?disabled=${this.busy}
        placeholder=${editing ? 'e.g. add a Slack message after the IF' : 'e.g. when a webhook is called, if amount > 100 send to Slack otherwise respond ok'}
        @input=${(e: Event) => (this.prompt = (e.target as HTMLTextAreaElement).value)}
        @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && this.generate()}></textarea>
      <div class="row">
        <button class="primary" @click=${() => this.generate()} ?disabled=${this.busy || !this.prompt.trim()}>
          ${editing ? 'Change workflow' : 'Build workflow'}</button>
        ${
          editing
            ? html`<button @click=${() => this.optimise()} ?disabled=${this.busy}>Find optimisations</button>
              <button @click=${() => this.showInsights()} ?disabled=${this.busy}>Show insights</button>`
            : ''
        }
      </div>
      ${this.busy ? html`<p class="meta" role="status">Building… ${this.built} node${this.built === 1 ? '' : 's'} added</p>` : ''}
      ${errorBox(this.error)}
      ${this.answer ? this.#renderAnswer(this.answer) : ''}
      ${
        this.findings
          ? this.findings.length
            ? html`<ul class="ai-findings" aria-label="Optimisations">${this.findings.map(
                (f) => html`<li><span>${f.message}</span> <span class="meta">${f.estimatedSaving}</span>
                  ${f.patch.length ? html`<button @click=${() => this.apply(f)}>Apply</button>` : ''}</li>`,
              )}</ul>`
            : html`<p class="meta">No optimisations found.</p>`
          : ''
      }
      ${this.insights ? renderInsights(this.insights.report, this.insights.lines) : ''}
    </section>`;
  }
}
customElements.define('weft-ai-panel', AiPanel);
