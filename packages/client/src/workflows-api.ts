import type { Item, Workflow } from '@weft/engine';
import type {
  ImportAnswer,
  Launched,
  Page,
  RunResult,
  StoredWorkflow,
  WorkflowSummary,
  WorkflowVersionInfo,
} from './api-types.js';
import type { HttpTransport } from './http-transport.js';

const enc = encodeURIComponent;

/**
 * Workflows of a workspace: CRUD where every save is a new immutable version, versions,
 * activate/deactivate, duplicate, manual runs and test runs of unsaved documents.
 *
 * @example
 * ```ts
 * const created = await client.workflows.create(ws, { name: 'Hello', nodes: [], connections: [] });
 * const { executionId } = await client.workflows.run(ws, created.id);
 * ```
 */
export class WorkflowsApi {
  constructor(private readonly t: HttpTransport) {}

  private path(ws: string, id?: string): string {
    return `/workspaces/${enc(ws)}/workflows${id ? `/${enc(id)}` : ''}`;
  }

  /** Latest versions, newest first; `q` matches names and tags. */
  list(ws: string, query: { q?: string; limit?: number; cursor?: string } = {}): Promise<Page<WorkflowSummary>> {
    return this.t.request('GET', this.path(ws), { query });
  }

  /** The latest version. */
  get(ws: string, id: string): Promise<StoredWorkflow> {
    return this.t.request('GET', this.path(ws, id));
  }

  /** Creates version 1 (validated by the host: a {@link WeftApiError} lists each problem). */
  create(ws: string, workflow: Workflow): Promise<StoredWorkflow> {
    return this.t.request('POST', this.path(ws), { body: workflow });
  }

  /** Saves a new version. */
  update(ws: string, id: string, workflow: Workflow): Promise<StoredWorkflow> {
    return this.t.request('PUT', this.path(ws, id), { body: workflow });
  }

  /** Deletes the workflow and all its versions. */
  delete(ws: string, id: string): Promise<void> {
    return this.t.request('DELETE', this.path(ws, id));
  }

  /** Versions, newest first. */
  versions(ws: string, id: string): Promise<{ items: WorkflowVersionInfo[] }> {
    return this.t.request('GET', `${this.path(ws, id)}/versions`);
  }

  /** One immutable version. */
  version(ws: string, id: string, version: number): Promise<StoredWorkflow> {
    return this.t.request('GET', `${this.path(ws, id)}/versions/${version}`);
  }

  /** What changed between two versions (default: the previous and the latest). */
  diff(
    ws: string,
    id: string,
    range: { from?: number; to?: number } = {},
  ): Promise<{ from: number; to: number; diff: unknown }> {
    return this.t.request('GET', `${this.path(ws, id)}/diff`, { query: range });
  }

  /** One workflow as a portable document (with its id, version and active flag). */
  async export(ws: string, id: string): Promise<Workflow & { active: boolean }> {
    return this.t.request('GET', `${this.path(ws, id)}/export`, { query: { format: 'json' } });
  }

  /** One workflow as YAML text. */
  async exportYaml(ws: string, id: string): Promise<string> {
    return (await this.t.raw('GET', `${this.path(ws, id)}/export`, { query: { format: 'yaml' } })).text();
  }

  /**
   * Imports a Weft export document (as `export` gives them; existing ids get a new version), an
   * n8n export or a Node-RED flows.json (converted, with a report). The format is detected unless
   * `from` names it; `dryRun` stores nothing and answers the converted workflows for review.
   *
   * @example
   * ```ts
   * const { report } = await client.workflows.import(ws, n8nExport, { dryRun: true });
   * ```
   */
  import(
    ws: string,
    document: unknown,
    options: { from?: 'weft' | 'n8n' | 'node-red'; dryRun?: boolean } = {},
  ): Promise<ImportAnswer> {
    return this.t.request('POST', `${this.path(ws)}/import`, { body: document, query: options });
  }

  /** Turns its triggers (webhooks, schedules) on or off. */
  setActive(ws: string, id: string, active: boolean): Promise<WorkflowSummary> {
    return this.t.request('POST', `${this.path(ws, id)}/${active ? 'activate' : 'deactivate'}`);
  }

  /** Copies a workflow under a new id (inactive). */
  duplicate(ws: string, id: string, options: { name?: string } = {}): Promise<StoredWorkflow> {
    return this.t.request('POST', `${this.path(ws, id)}/duplicate`, { body: options });
  }

  /** Runs the latest version: 202 with the execution id, or with `wait` the finished result. */
  run(
    ws: string,
    id: string,
    options: { input?: Item[]; wait?: boolean; startNodeId?: string; idempotencyKey?: string } = {},
  ): Promise<Launched> {
    const { idempotencyKey, ...body } = options;
    return this.t.request('POST', `${this.path(ws, id)}/run`, {
      body,
      ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
    });
  }

  /** Test-runs a (possibly unsaved) document with pinned data, optionally stopping after a node (by name). */
  test(
    ws: string,
    workflow: Workflow,
    options: { input?: Item[]; pinData?: Record<string, Item[]>; stopAfter?: string } = {},
  ): Promise<RunResult> {
    return this.t.request('POST', `${this.path(ws)}/test`, { body: { workflow, ...options } });
  }
}
