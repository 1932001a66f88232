import type { HostRuntime } from '../runtime/host-runtime.js';
import { exampleWorkflows } from './example-workflows.js';
import { saveWorkflow, setWorkflowActive } from './workflow-service.js';

/**
 * Seeds the example workflows into a workspace; a webhook path already used elsewhere leaves
 * that example inactive instead of failing. With `WEFT_REGIONS` they go to the workspace's
 * region (ADR 0014), whichever runtime is passed.
 *
 * @example
 * ```ts
 * await seedExamples(runtime, workspace.id);
 * ```
 */
export async function seedExamples(control: HostRuntime, workspaceId: string): Promise<string[]> {
  const rt = control.residency ? await control.residency.runtimeOf(workspaceId) : control;
  const names: string[] = [];
  for (const { workflow, active } of exampleWorkflows()) {
    const stored = await saveWorkflow(rt, workspaceId, workflow, { mode: 'upsert' });
    if (active) {
      try {
        await setWorkflowActive(rt, workspaceId, stored.id, true);
      } catch (e) {
        rt.logger.warn({ workflowId: stored.id, err: (e as Error).message }, 'example left inactive');
      }
    }
    names.push(workflow.name);
  }
  return names;
}
