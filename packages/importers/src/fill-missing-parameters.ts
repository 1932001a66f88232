import { type NodeTypeSource, validateWorkflow, type Workflow } from '@weft/engine';
import type { WorkflowImportReport } from './import-report.js';

/** Options of `importN8n` and `importNodeRed`. */
export interface ImportOptions {
  /**
   * The node types the workflows will run with (e.g. the host's registry). When given, a required
   * parameter the export left empty gets a value that fails with a clear message when the node
   * runs, so the workflow still validates and can be stored, and the report names it.
   */
  nodeTypes?: NodeTypeSource;
}

const MISSING = /^\/nodes\/(\d+)\/parameters\/([^/]+)$/;

/**
 * Fills the required parameters an export left empty (see {@link ImportOptions.nodeTypes}) and
 * notes each in the report of the source node.
 *
 * @example
 * ```ts
 * fillMissingParameters(workflow, report, registry);
 * ```
 */
export function fillMissingParameters(
  workflow: Workflow,
  report: WorkflowImportReport,
  nodeTypes: NodeTypeSource,
): void {
  for (const p of validateWorkflow(workflow, nodeTypes).problems) {
    const m = p.code === 'missing-parameter' ? MISSING.exec(p.path) : null;
    const node = m ? workflow.nodes[Number(m[1])] : undefined;
    if (!m || !node) continue;
    const name = (m[2] as string).replace(/~1/g, '/').replace(/~0/g, '~');
    const spec = nodeTypes.get(node.type, node.typeVersion)?.parameters[name];
    const message = `"${spec?.label ?? name}" of "${node.name}" was empty in the export: fill it in`;
    const thrower = `throw new Error(${JSON.stringify(message)});`;
    node.parameters[name] = spec?.kind === 'code' ? thrower : `{{ (() => { ${thrower} })() }}`;
    const entry = report.nodes.find((n) => n.nodes.includes(node.name));
    if (entry) {
      entry.differences.push(`required parameter "${spec?.label ?? name}" was empty in the export: fill it in`);
      if (entry.status === 'exact') entry.status = 'differences';
    }
  }
}
