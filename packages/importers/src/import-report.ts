import type { Item, Workflow } from '@weft/engine';

/** How faithfully one source node was carried over. */
export type MappingStatus = 'exact' | 'differences' | 'unsupported';

/** What became of one source node. */
export interface NodeReport {
  /** The node's name in the source workflow (Node-RED: its name, or its type and id). */
  source: string;
  /** The source node type, e.g. `n8n-nodes-base.if` or `switch`. */
  sourceType: string;
  sourceVersion?: number;
  /** The Weft nodes it became (a composition may need more than one). */
  nodes: string[];
  status: MappingStatus;
  /** Each way the Weft workflow behaves differently, in words. */
  differences: string[];
}

/** An expression (or code) that could not be translated, and where it is. */
export interface ExpressionIssue {
  /** The Weft node holding it. */
  node: string;
  /** JSON pointer into the imported Weft workflow. */
  pointer: string;
  /** The source text. */
  expression: string;
  reason: string;
}

/** A credential the workflow needs: exports never contain secrets, so it must be created by hand. */
export interface CredentialPlaceholder {
  /** The id the imported nodes already reference (`node.credentials.auth`). */
  id: string;
  /** The Weft credential type to create, e.g. `slack.botToken`. */
  type: string;
  /** The credential's name or type in the source, for the person filling it in. */
  sourceName: string;
  /** Weft nodes that use it. */
  usedBy: string[];
}

/** The report of one imported workflow. */
export interface WorkflowImportReport {
  name: string;
  nodes: NodeReport[];
  expressions: ExpressionIssue[];
  credentials: CredentialPlaceholder[];
  /** Workflow-level remarks: settings without an equivalent, connections that could not be kept. */
  notes: string[];
  /** n8n pinned data by Weft node name; Weft has no pinned data, so use it as test input. */
  pinnedData?: Record<string, Item[]>;
}

/** Totals over every imported workflow. */
export interface ImportSummary {
  workflows: number;
  nodes: number;
  exact: number;
  differences: number;
  unsupported: number;
  untranslatedExpressions: number;
  credentials: number;
}

/** Everything an import found, per workflow, with totals. */
export interface ImportReport {
  format: 'n8n' | 'node-red';
  workflows: WorkflowImportReport[];
  summary: ImportSummary;
}

/** Imported workflows, ready for `validateWorkflow`, and what happened to each node. */
export interface ImportResult {
  workflows: Workflow[];
  report: ImportReport;
}

/**
 * Totals a list of workflow reports.
 *
 * @example
 * ```ts
 * summarize([{ name: 'a', nodes: [], expressions: [], credentials: [], notes: [] }]).workflows; // 1
 * ```
 */
export function summarize(reports: WorkflowImportReport[]): ImportSummary {
  const nodes = reports.flatMap((r) => r.nodes);
  const count = (s: MappingStatus) => nodes.filter((n) => n.status === s).length;
  return {
    workflows: reports.length,
    nodes: nodes.length,
    exact: count('exact'),
    differences: count('differences'),
    unsupported: count('unsupported'),
    untranslatedExpressions: reports.reduce((n, r) => n + r.expressions.length, 0),
    credentials: reports.reduce((n, r) => n + r.credentials.length, 0),
  };
}
