import type { WeftCanvas, WeftExecutionView } from '@weft/canvas';
import type { EventSubscription, ExecutionDetail } from '@weft/client';
import type { Workflow } from '@weft/engine';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage, formatDuration, formatTime, statusPill } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { navigate } from '../app/router.js';
import { loadCatalogue } from '../editor/node-catalog.js';
import { nodeRunData } from '../editor/node-run-view.js';
import { executionEvents } from '../editor/run-events.js';
import '../executions/execution-files.js';
import { executionCache } from '../offline/execution-cache.js';

type CachedDetail = ExecutionDetail & { pinnedWorkflow?: Workflow };

/**
 * One execution: the pinned workflow version read-only with the run overlay, every node run
 * (pick one to inspect its input and output per port), and retry, replay from the selected
 * node, cancel, approve and reject. Opened executions stay readable offline.
 */
export class ExecutionDetailView extends LightElement {
  static override properties = {
    executionId: { attribute: 'execution-id' },
    detail: { state: true },
    selected: { state: true },
    error: { state: true },
    offline: { state: true },
  };
  declare executionId: string;
  declare detail: CachedDetail | undefined;
  declare selected: string | undefined;
  declare error: string | undefined;
  declare offline: boolean;
  private live: EventSubscription | undefined;

  constructor() {
    super();
    this.executionId = '';
    this.offline = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Subscribed before the first load, so an execution finishing in between is not missed.
    this.live = appState.client.subscribe(appState.workspaceId as string, {
      executionId: this.executionId,
      onEvent: (e) => {
        if (e.type.startsWith('workflow:') && e.type !== 'workflow:started') void this.load();
      },
    });
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.live?.close();
  }

  private async load(): Promise<void> {
    const ws = appState.workspaceId as string;
    try {
      const detail: CachedDetail = await appState.client.executions.get(ws, this.executionId);
      const version = await appState.client.workflows
        .version(ws, detail.workflowId, detail.workflowVersion)
        .catch(() => undefined);
      if (version) detail.pinnedWorkflow = version.workflow;
      this.detail = detail;
      this.offline = false;
      await executionCache.saveDetail(detail);
    } catch (e) {
      const cached =
        e instanceof TypeError ? ((await executionCache.detail(this.executionId)) as CachedDetail) : undefined;
      if (cached) {
        this.detail = cached;
        this.offline = true;
      } else this.error = errorMessage(e);
    }
    await this.updateComplete;
    const canvas = this.querySelector('weft-canvas') as WeftCanvas | null;
    if (canvas && this.detail?.pinnedWorkflow) {
      canvas.nodeTypes = (await loadCatalogue(appState.client)).nodeTypes;
      canvas.workflow = this.detail.pinnedWorkflow;
      canvas.events = executionEvents(this.detail);
    }
    const firstFailed = this.detail?.nodeRuns.find((r) => r.status === 'failed');
    this.select(firstFailed?.nodeId ?? this.detail?.nodeRuns.at(-1)?.nodeId);
  }

  private select(nodeId: string | undefined): void {
    this.selected = nodeId;
    const view = this.querySelector('weft-execution-view') as WeftExecutionView | null;
    if (view) view.run = this.detail ? nodeRunData(this.detail.pinnedWorkflow, this.detail, nodeId).view : null;
  }

  private async act(fn: () => Promise<{ executionId: string }>, open = true): Promise<void> {
    try {
      const r = await fn();
      if (open && r.executionId !== this.executionId) navigate(`/executions/${encodeURIComponent(r.executionId)}`);
      else await this.load();
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  override render() {
    const x = this.detail;
    const ws = appState.workspaceId as string;
    const api = appState.client.executions;
    const selectedRun = x?.nodeRuns.find((r) => r.nodeId === this.selected);
    const waitingApproval = x?.status === 'waiting' && x.wait?.kind === 'signal';
    const active = x && ['queued', 'running', 'waiting'].includes(x.status);
    return html`<section class="page execution">
      <header class="page-head">
        <h1>Execution ${x ? statusPill(x.status) : ''}</h1>
        ${
          x && !this.offline
            ? html`<div class="actions">
                <a class="button" href=${`/workflows/${encodeURIComponent(x.workflowId)}`}>Open workflow</a>
                <button @click=${() => this.act(() => api.retry(ws, x.id))}>Retry</button>
                <button ?disabled=${!selectedRun} @click=${() =>
                  this.act(() => api.replay(ws, x.id, { fromNode: this.selected as string }))}>
                  Replay from ${selectedRun?.nodeName ?? 'node'}
                </button>
                ${active ? html`<button @click=${() => this.act(() => api.cancel(ws, x.id), false)}>Cancel</button>` : ''}
                ${
                  waitingApproval
                    ? html`<button class="primary" @click=${() => this.act(() => api.decide(ws, x.id, true), false)}>Approve</button>
                        <button class="danger" @click=${() => this.act(() => api.decide(ws, x.id, false), false)}>Reject</button>`
                    : ''
                }
              </div>`
            : ''
        }
      </header>
      ${this.offline ? html`<p class="notice offline" role="status">Offline: this is the copy from your last visit.</p>` : ''}
      ${errorBox(this.error)}
      ${
        x
          ? html`<dl class="facts">
              <dt>Id</dt><dd><code>${x.id}</code></dd>
              <dt>Workflow</dt><dd>${x.pinnedWorkflow?.name ?? x.workflowId} v${x.workflowVersion}</dd>
              <dt>Mode</dt><dd>${x.mode}</dd>
              <dt>Started</dt><dd>${formatTime(x.startedAt)}</dd>
              <dt>Duration</dt><dd>${formatDuration(x.startedAt, x.finishedAt)}</dd>
              ${x.error ? html`<dt>Error</dt><dd class="error-text">${x.error.message}</dd>` : ''}
            </dl>
            <weft-execution-files .detail=${x}></weft-execution-files>`
          : ''
      }
      <div class="execution-body">
        ${
          x?.pinnedWorkflow
            ? html`<weft-canvas class="canvas" readonly .minimap=${false}
                @run-request=${() => {
                  // The canvas's Run on a past execution retries it: real side effects, so ask first.
                  if (confirm(`Retry execution ${x.id}? Its failed and unfinished nodes run again.`))
                    void this.act(() => api.retry(ws, x.id));
                }}
          @selection-change=${(e: CustomEvent<{ nodeIds: string[] }>) => {
            if (e.detail.nodeIds.length === 1) this.select(e.detail.nodeIds[0]);
          }}></weft-canvas>`
            : ''
        }
        <div class="runs">
          <ol class="node-runs" aria-label="Node runs">
            ${x?.nodeRuns.map(
              (r) => html`<li><button class="node-run" aria-pressed=${r.nodeId === this.selected ? 'true' : 'false'}
                @click=${() => this.select(r.nodeId)}>${statusPill(r.status)} ${r.nodeName}
                <span class="muted small">${formatDuration(r.startedAt, r.finishedAt)}</span></button></li>`,
            )}
          </ol>
          <weft-execution-view></weft-execution-view>
        </div>
      </div>
    </section>`;
  }
}
customElements.define('weft-execution-detail-view', ExecutionDetailView);
