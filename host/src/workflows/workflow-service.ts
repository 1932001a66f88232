import { randomUUID } from 'node:crypto';
import { type StoredWorkflow, validateWorkflow, type Workflow } from '@weft/engine';
import { auditedMutation } from '../compliance/audited-mutation.js';
import { assertScanAllowsActivation, recordScan } from '../compliance/workflow-scans.js';
import { ConflictError, InvalidWorkflowError, NotFoundError } from '../runtime/host-error.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { checkActivationGate } from './workflow-tests.js';

/** Checks a workflow document against the schema, the graph rules and the registered node types. */
export function checkWorkflow(rt: HostRuntime, doc: unknown, where = 'body'): Workflow {
  const result = validateWorkflow(doc, rt.registry);
  if (!result.valid) {
    const first = result.problems[0];
    throw new InvalidWorkflowError('invalid-workflow', `Invalid workflow: ${first?.path} ${first?.message}`, {
      errors: result.problems.map((p) => ({ in: where, path: p.path, message: p.message })),
    });
  }
  return doc as Workflow;
}

/**
 * Saving workflows as the API and CLI do: validated, versioned (every save is a new immutable
 * version, whose security scan is stored), webhook routes, schedules and event triggers kept in
 * sync. A new version of an active workflow goes live only if its scan passes the workspace's gate.
 *
 * @example
 * ```ts
 * const stored = await saveWorkflow(runtime, 'ws1', doc, { mode: 'create' });
 * ```
 */
export async function saveWorkflow(
  rt: HostRuntime,
  workspaceId: string,
  doc: unknown,
  options: { mode: 'create' | 'update' | 'upsert'; id?: string },
): Promise<StoredWorkflow> {
  const wf = checkWorkflow(rt, doc);
  await rt.webhooks.check(workspaceId, wf, 'body');
  const id = options.id ?? wf.id ?? randomUUID();
  const existing = await rt.engine.workflows.get(workspaceId, id);
  if (options.mode === 'create' && existing)
    throw new ConflictError('workflow-exists', `Workflow "${id}" already exists`);
  if (options.mode === 'update' && !existing)
    throw new NotFoundError('workflow-not-found', `Workflow "${id}" not found`);
  if (existing?.active) {
    await rt.webhooks.check(workspaceId, wf, 'workflow');
    rt.webhooks.routesOf(wf);
    checkSchedules(rt, wf);
    rt.events.subscriptionsOf(wf);
    await assertScanAllowsActivation(rt, workspaceId, wf);
    // An active workflow's new version goes live at once: it passes the same gate as an activation.
    const { version: _next, ...live } = wf;
    await checkActivationGate(
      rt,
      workspaceId,
      { ...existing, workflow: { ...live, id }, version: existing.version + 1 },
      'Save',
    );
  }
  const { version: _v, ...rest } = wf;
  const stored = await auditedMutation(
    rt,
    (s) => s.workflows.save(workspaceId, { ...rest, id }),
    (r) => r.id,
  );
  await recordScan(rt, stored, 'save');
  if (stored.active) {
    await rt.webhooks.sync(workspaceId, id);
    await rt.scheduler.sync(workspaceId, id);
    await rt.events.sync(workspaceId, id);
  }
  return stored;
}

/**
 * Activates or deactivates a workflow, registering its webhook routes (409 when a path is taken),
 * schedules and event triggers; when one fails the workflow keeps its previous state. Activation
 * is refused (409) while a test suite with `gate` on fails.
 */
export async function setWorkflowActive(
  rt: HostRuntime,
  workspaceId: string,
  id: string,
  active: boolean,
): Promise<StoredWorkflow> {
  const stored = await rt.engine.workflows.get(workspaceId, id);
  if (!stored) throw new NotFoundError('workflow-not-found', `Workflow "${id}" not found`);
  if (active) {
    await rt.webhooks.check(workspaceId, stored.workflow, 'workflow');
    checkSchedules(rt, stored.workflow);
    await assertScanAllowsActivation(rt, workspaceId, stored.workflow);
    if (!stored.active) await checkActivationGate(rt, workspaceId, stored);
  }
  await auditedMutation(rt, (s) => s.workflows.setActive(workspaceId, id, active));
  try {
    await rt.webhooks.sync(workspaceId, id);
    await rt.scheduler.sync(workspaceId, id);
    await rt.events.sync(workspaceId, id);
  } catch (e) {
    await rt.engine.workflows.setActive(workspaceId, id, stored.active);
    await rt.webhooks.sync(workspaceId, id).catch(() => {});
    await rt.scheduler.sync(workspaceId, id).catch(() => {});
    throw e;
  }
  if (stored.active !== active)
    await rt.outboundWebhooks
      .publish(workspaceId, active ? 'workflow.activated' : 'workflow.deactivated', {
        workflowId: id,
        version: stored.version,
      })
      .catch((err) => rt.logger.error({ workflowId: id, err: String(err) }, 'outbound webhook not queued'));
  return { ...stored, active };
}

function checkSchedules(rt: HostRuntime, wf: Workflow): void {
  try {
    rt.scheduler.schedulesOf({
      workspaceId: '',
      id: wf.id ?? '',
      version: 0,
      workflow: wf,
      active: true,
      createdAt: 0,
    });
  } catch (e) {
    throw new InvalidWorkflowError('invalid-schedule', `Invalid schedule: ${(e as Error).message}`);
  }
}

/** Every workflow of a workspace (latest versions), for export. */
export async function allWorkflows(rt: HostRuntime, workspaceId: string): Promise<StoredWorkflow[]> {
  const out: StoredWorkflow[] = [];
  let cursor: string | undefined;
  do {
    const page = await rt.engine.workflows.list(workspaceId, { limit: 200, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** The document a stored workflow exports as (with its activation state). */
export function exportDocument(s: StoredWorkflow): Workflow & { active: boolean } {
  return { ...s.workflow, id: s.id, version: s.version, active: s.active } as Workflow & { active: boolean };
}
