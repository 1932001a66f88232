import type { StoredWorkflow, WorkflowSummary } from '@weft/client';
import { html, nothing } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage, statusPill } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { navigate } from '../app/router.js';

type Json = Record<string, unknown>;

/** What a waited run finished with (the host answers it under `result`). */
interface RunOutcome {
  executionId: string;
  status: string;
  output: { json: unknown }[];
  error?: { message?: string };
}

/** The offset of the first JSON syntax error in `s` (a small scanner; -1 when it finds none). */
function errorOffset(s: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < s.length && ' \t\n\r'.includes(s[i] as string)) i++;
  };
  const str = () => {
    i++;
    while (i < s.length) {
      const c = s[i] as string;
      if (c === '"') return void i++;
      if (c < ' ') fail();
      i += c === '\\' ? 2 : 1;
    }
    fail();
  };
  const list = (close: string, item: () => void) => {
    i++;
    ws();
    if (s[i] === close) return void i++;
    for (;;) {
      item();
      ws();
      if (s[i] === close) return void i++;
      if (s[i] !== ',') fail();
      i++;
    }
  };
  const member = () => {
    ws();
    if (s[i] !== '"') fail();
    str();
    ws();
    if (s[i] !== ':') fail();
    i++;
    value();
  };
  function value(): void {
    ws();
    if (s[i] === '{') list('}', member);
    else if (s[i] === '[') list(']', value);
    else if (s[i] === '"') str();
    else {
      const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(s.slice(i));
      if (!m) fail();
      i += (m as RegExpExecArray)[0].length;
    }
  }
  try {
    value();
    ws();
    if (i < s.length) fail();
    return -1;
  } catch (at) {
    return at as number;
  }
}

/**
 * What is wrong with `text` as JSON, as "line L, column C: message" (undefined when it is valid).
 *
 * @example
 * ```ts
 * jsonProblem('{\n  "a": \n}') // "line 3, column 1: Unexpected token '}'"
 * ```
 */
export function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    const message = (e as Error).message
      .replace(/,\s*(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/ at position \d+.*$/s, '');
    const pos = /position (\d+)/.exec((e as Error).message);
    const at = pos ? Number(pos[1]) : errorOffset(text);
    if (at < 0) return message;
    const before = text.slice(0, at).split('\n');
    return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}: ${message}`;
  }
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Runs a workflow from a phone (the home-screen quick action "Run a workflow", `/run` and
 * `/run/<workflowId>`): pick a workflow, fill one field per top-level key of its sample input
 * (the trigger's pinned item, else the last execution's input) or edit the raw JSON, run it and
 * see the result with a link to the execution.
 */
export class QuickRunView extends LightElement {
  static override properties = {
    workflowId: { attribute: 'workflow-id' },
    workflows: { state: true },
    search: { state: true },
    workflow: { state: true },
    json: { state: true },
    problem: { state: true },
    running: { state: true },
    result: { state: true },
    error: { state: true },
  };
  declare workflowId: string | undefined;
  declare workflows: WorkflowSummary[] | undefined;
  declare search: string;
  declare workflow: StoredWorkflow | undefined;
  /** The input item's `json` as edited text. */
  declare json: string;
  declare problem: string | undefined;
  declare running: boolean;
  declare result: RunOutcome | undefined;
  declare error: string | undefined;
  /** Top-level keys offered as labelled fields. */
  private fields: string[] = [];
  /** The last valid input, shown in the fields while the JSON has an error. */
  private lastGood: Json = {};

  constructor() {
    super();
    this.search = '';
    this.json = '{}';
    this.running = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void (this.workflowId ? this.open(this.workflowId) : this.loadList());
  }

  private get ws(): string {
    return appState.workspaceId as string;
  }

  private async loadList(): Promise<void> {
    try {
      const page = await appState.client.workflows.list(this.ws, { limit: 200 });
      this.workflows = [...page.items].sort((a, b) => Number(b.active) - Number(a.active));
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async open(id: string): Promise<void> {
    try {
      const [wf, last] = await Promise.all([
        appState.client.workflows.get(this.ws, id),
        appState.client.executions.list(this.ws, { workflowId: id, limit: 1 }).catch(() => undefined),
      ]);
      const trigger = wf.workflow.nodes.find((n) => /trigger|webhook/i.test(n.type));
      const pinned = trigger ? wf.workflow.pinData?.[trigger.id]?.[0]?.json : undefined;
      const lastInput = Object.values(last?.items[0]?.input ?? {})[0]?.[0]?.json;
      const sample = isObject(pinned) ? pinned : isObject(lastInput) ? lastInput : {};
      this.fields = Object.keys(sample);
      this.lastGood = sample;
      this.json = JSON.stringify(sample, null, 2);
      this.problem = undefined;
      this.workflow = wf;
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private get parsed(): Json | undefined {
    if (this.problem) return undefined;
    const v = JSON.parse(this.json) as unknown;
    return isObject(v) ? v : undefined;
  }

  private setJson(text: string): void {
    this.json = text;
    const problem = jsonProblem(text);
    const value = problem ? undefined : (JSON.parse(text) as unknown);
    this.problem = problem ?? (isObject(value) ? undefined : 'The input must be a JSON object ({ … })');
    if (isObject(value)) this.lastGood = value;
  }

  private setField(key: string, text: string): void {
    const obj = this.parsed ?? {};
    let value: unknown = text;
    const old = obj[key];
    if (typeof old !== 'string' && text.trim() !== '') {
      try {
        value = JSON.parse(text);
      } catch {
        value = text;
      }
    }
    this.setJson(JSON.stringify({ ...obj, [key]: value }, null, 2));
  }

  private async run(): Promise<void> {
    const json = this.parsed;
    if (!this.workflow || !json) return;
    this.running = true;
    this.result = undefined;
    this.error = undefined;
    try {
      const launched = await appState.client.workflows.run(this.ws, this.workflow.id, {
        input: [{ json: json as never }],
        wait: true,
      });
      const r = launched.result;
      this.result = {
        executionId: launched.executionId,
        status: r?.status ?? 'running',
        output: r?.output ?? [],
        ...(r?.error ? { error: r.error } : {}),
      };
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.running = false;
    }
  }

  private renderList() {
    const q = this.search.trim().toLowerCase();
    const shown = (this.workflows ?? []).filter((w) => !q || w.name.toLowerCase().includes(q));
    return html`<label>Search workflows
        <input type="search" .value=${this.search} @input=${(e: Event) => (this.search = (e.target as HTMLInputElement).value)} />
      </label>
      ${
        this.workflows && !shown.length
          ? html`<p class="empty">${this.workflows.length ? 'No workflow matches.' : 'No workflows yet.'}</p>`
          : ''
      }
      <ul class="cards" aria-label="Workflows">
        ${shown.map(
          (w) => html`<li class="card">
            <a class="card-title" href=${`/run/${encodeURIComponent(w.id)}`}>${w.name}</a>
            <div class="meta"><span>v${w.version}</span>${w.active ? html`<span class="pill">active</span>` : ''}</div>
          </li>`,
        )}
      </ul>`;
  }

  private renderForm(wf: StoredWorkflow) {
    const obj = this.parsed;
    const fieldText = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));
    const r = this.result;
    return html`<p class="muted">${wf.workflow.name} · v${wf.version} · <a href="/run">Pick another</a></p>
      <form class="quick-run-form" @submit=${(e: Event) => {
        e.preventDefault();
        void this.run();
      }}>
        ${this.fields.map(
          (k) => html`<label>${k}
            <input name=${k} .value=${fieldText((obj ?? this.lastGood)[k])} ?disabled=${!obj}
              @input=${(e: Event) => this.setField(k, (e.target as HTMLInputElement).value)} /></label>`,
        )}
        <label>Input (JSON)
          <textarea rows="8" spellcheck="false" aria-invalid=${this.problem ? 'true' : 'false'}
            aria-describedby="quick-run-json-problem" .value=${this.json}
            @input=${(e: Event) => this.setJson((e.target as HTMLTextAreaElement).value)}></textarea></label>
        ${this.problem ? html`<p id="quick-run-json-problem" class="error" role="alert">Invalid JSON: ${this.problem}</p>` : nothing}
        <button class="primary" type="submit" ?disabled=${!obj || this.running}>${this.running ? 'Running…' : 'Run'}</button>
      </form>
      ${errorBox(this.error)}
      ${
        r
          ? html`<section class="card quick-run-result" aria-label="Result" role="status">
              <div class="meta">${statusPill(r.status)}
                <a href=${`/executions/${encodeURIComponent(r.executionId)}`}>Open execution</a></div>
              ${r.error ? html`<p class="error">${r.error.message ?? 'The run failed'}</p>` : ''}
              ${
                r.output.length
                  ? html`<pre class="quick-run-output">${JSON.stringify(
                      r.output.map((i) => i.json),
                      null,
                      2,
                    )}</pre>`
                  : ''
              }
            </section>`
          : ''
      }`;
  }

  override render() {
    return html`<section class="page quick-run">
      <style>
        .quick-run form { display: grid; gap: 0.75rem; }
        .quick-run textarea { font-family: ui-monospace, monospace; width: 100%; box-sizing: border-box; }
        .quick-run input { width: 100%; box-sizing: border-box; }
        .quick-run button.primary { min-height: 44px; }
        .quick-run-output { overflow-x: auto; white-space: pre-wrap; word-break: break-word; margin: 0.5rem 0 0; }
      </style>
      <header class="page-head"><h1>Run a workflow</h1>
        ${this.workflow ? '' : html`<button @click=${() => navigate('/workflows')}>All workflows</button>`}</header>
      ${this.workflow ? this.renderForm(this.workflow) : this.workflowId ? errorBox(this.error) : [errorBox(this.error), this.renderList()]}
    </section>`;
  }
}
customElements.define('weft-quick-run-view', QuickRunView);
