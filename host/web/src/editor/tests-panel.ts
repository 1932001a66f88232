import { WeftApiError } from '@weft/client';
import { html, type TemplateResult } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage } from '../app/format.js';
import { LightElement } from '../app/light-element.js';

/** One assertion of a case result, as the host stores it. */
interface AssertionAnswer {
  kind: string;
  label: string;
  passed: boolean;
  message?: string;
  diff?: string[];
}
interface CaseAnswer {
  name: string;
  status: 'passed' | 'failed';
  unmocked: { node: string; type: string; sideEffects: string }[];
  assertions: AssertionAnswer[];
}
interface RunAnswer {
  id: string;
  status: 'passed' | 'failed';
  passed: number;
  failed: number;
  total: number;
  workflowVersion: number;
  suiteVersion: number;
  results: CaseAnswer[];
}
interface SuiteAnswer {
  version: number;
  gate: boolean;
  suite: { cases: { name: string }[] };
  yaml?: string;
}

const pill = (passed: boolean) =>
  html`<span class="pill status-${passed ? 'succeeded' : 'failed'}">${passed ? 'passed' : 'failed'}</span>`;

/**
 * The editor's Tests panel: the workflow's test cases with pass/fail from the latest run and, for
 * each failed assertion, its diff; "Save run as test case" adds the execution shown in the editor
 * to the suite; "Run tests" runs the suite against the saved workflow; the suite is editable as
 * YAML. Set `workflowId` (none for an unsaved workflow) and `executionId` (the run shown).
 */
export class TestsPanel extends LightElement {
  static override properties = {
    workflowId: { attribute: false },
    executionId: { attribute: false },
    suite: { state: true },
    run: { state: true },
    busy: { state: true },
    error: { state: true },
    yaml: { state: true },
  };
  declare workflowId: string | undefined;
  declare executionId: string | undefined;
  declare suite: SuiteAnswer | undefined;
  declare run: RunAnswer | undefined;
  declare busy: boolean;
  declare error: string | undefined;
  /** The YAML being edited, when the editor is open. */
  declare yaml: string | undefined;
  #loaded: string | undefined;

  constructor() {
    super();
    this.busy = false;
  }

  #path(rest: string): string {
    return `/workspaces/${encodeURIComponent(appState.workspaceId as string)}/workflows/${encodeURIComponent(this.workflowId as string)}${rest}`;
  }

  #request<T>(method: string, rest: string, body?: unknown, query?: Record<string, string | number>): Promise<T> {
    return appState.client.transport.request<T>(method, this.#path(rest), {
      ...(body === undefined ? {} : { body }),
      ...(query ? { query } : {}),
    });
  }

  protected override updated(): void {
    if (this.workflowId && this.#loaded !== this.workflowId) {
      this.#loaded = this.workflowId;
      void this.load();
    }
  }

  async load(): Promise<void> {
    try {
      this.suite = await this.#request<SuiteAnswer>('GET', '/test-suite');
      const runs = await this.#request<{ items: RunAnswer[] }>('GET', '/test-suites/runs', undefined, { limit: 1 });
      this.run = runs.items[0];
    } catch (e) {
      if (e instanceof WeftApiError && e.status === 404) this.suite = undefined;
      else this.error = errorMessage(e);
    }
  }

  async #act(fn: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = undefined;
    try {
      await fn();
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.busy = false;
    }
  }

  saveRun(name: string): Promise<void> {
    return this.#act(async () => {
      const r = await this.#request<{ suite: SuiteAnswer }>('POST', '/test-suite/cases/from-execution', {
        executionId: this.executionId,
        name,
      });
      this.suite = r.suite;
    });
  }

  runTests(): Promise<void> {
    return this.#act(async () => {
      this.run = await this.#request<RunAnswer>('POST', '/test-suites/run', {});
    });
  }

  editYaml(): Promise<void> {
    return this.#act(async () => {
      this.yaml = (await this.#request<SuiteAnswer>('GET', '/test-suite', undefined, { format: 'yaml' })).yaml ?? '';
    });
  }

  saveYaml(): Promise<void> {
    return this.#act(async () => {
      this.suite = await this.#request<SuiteAnswer>('PUT', '/test-suite', { yaml: this.yaml });
      this.yaml = undefined;
    });
  }

  #renderCase(name: string): TemplateResult {
    const result = this.run?.results.find((c) => c.name === name);
    const failures = result?.assertions.filter((a) => !a.passed) ?? [];
    return html`<li class="test-case" data-status=${result?.status ?? 'not-run'}>
      <span class="test-name">${name}</span> ${result ? pill(result.status === 'passed') : html`<span class="meta">not run</span>`}
      ${result?.unmocked.map((u) => html`<p class="error">Unmocked side effect: "${u.node}" (${u.type}) would run</p>`)}
      ${failures.map(
        (a) => html`<div class="test-failure"><strong>${a.label}</strong>: ${a.message}
          ${a.diff?.length ? html`<pre class="test-diff">${a.diff.join('\n')}</pre>` : ''}</div>`,
      )}
    </li>`;
  }

  override render() {
    if (!this.workflowId)
      return html`<section class="tests-panel"><h3>Tests</h3><p class="meta">Save the workflow to add tests.</p></section>`;
    const cases = this.suite?.suite.cases ?? [];
    return html`<section class="tests-panel" aria-label="Tests">
      <h3>Tests ${this.run ? html`<span class="meta">${this.run.passed}/${this.run.total} passed (v${this.run.workflowVersion})</span>` : ''}</h3>
      ${errorBox(this.error)}
      <form class="test-save" @submit=${(e: Event) => {
        e.preventDefault();
        const input = (e.target as HTMLFormElement).elements.namedItem('case-name') as HTMLInputElement;
        void this.saveRun(input.value.trim()).then(() => {
          if (!this.error) input.value = '';
        });
      }}>
        <input name="case-name" aria-label="Test case name" placeholder="case name" required maxlength="200" />
        <button type="submit" ?disabled=${this.busy || !this.executionId} title="Pin this run's input, mocks and outputs as a case">
          Save run as test case</button>
      </form>
      ${cases.length ? html`<ul class="test-cases">${cases.map((c) => this.#renderCase(c.name))}</ul>` : html`<p class="meta">No test cases yet.</p>`}
      <div class="test-actions">
        <button @click=${() => this.runTests()} ?disabled=${this.busy || !cases.length}>Run tests</button>
        ${
          this.yaml === undefined
            ? html`<button @click=${() => this.editYaml()} ?disabled=${this.busy || !this.suite}>Edit as YAML</button>`
            : html`<button @click=${() => this.saveYaml()} ?disabled=${this.busy}>Save suite</button>
                <button @click=${() => (this.yaml = undefined)}>Cancel</button>`
        }
      </div>
      ${
        this.yaml === undefined
          ? ''
          : html`<textarea class="test-yaml" aria-label="Test suite YAML" rows="16" .value=${this.yaml}
              @input=${(e: Event) => (this.yaml = (e.target as HTMLTextAreaElement).value)}></textarea>`
      }
    </section>`;
  }
}
customElements.define('weft-tests-panel', TestsPanel);
