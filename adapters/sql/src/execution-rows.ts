import type { ExecutionPatch, ExecutionRecord, NodeRunRecord } from '@weft/engine';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { ExecutionsTable, NodeRunsTable } from './schema.js';
import { decodeJson, encodeJson, jsonColumnText, millis, type SqlDialectName } from './sql-dialect.js';

/** An execution as written to the `executions` table (JSON columns as strings). */
export type ExecutionRow = Insertable<ExecutionsTable>;
/** A node run as written to the `node_runs` table. */
export type NodeRunRow = Insertable<NodeRunsTable>;
/** The columns an {@link ExecutionPatch} changes. */
export type ExecutionUpdate = Updateable<ExecutionsTable>;

const json = (v: unknown) => (v === undefined ? null : encodeJson(v));

/**
 * Converts an execution record to its row.
 *
 * @example
 * ```ts
 * await db.insertInto('executions').values(executionToRow(record)).execute();
 * ```
 */
export function executionToRow(r: ExecutionRecord): ExecutionRow {
  return {
    id: r.id,
    workspace_id: r.workspaceId,
    workflow_id: r.workflowId,
    workflow_version: r.workflowVersion,
    status: r.status,
    mode: r.mode,
    input: encodeJson(r.input) ?? 'null',
    output: json(r.output),
    error: json(r.error),
    wait: json(r.wait),
    wait_kind: r.wait?.kind ?? null,
    resume_at: r.wait?.resumeAt ?? null,
    started_at: r.startedAt,
    finished_at: r.finishedAt ?? null,
    parent_execution_id: r.parentExecutionId ?? null,
    idempotency_key: r.idempotencyKey ?? null,
    depth: r.depth,
    start_node_id: r.startNodeId ?? null,
  };
}

/**
 * Converts a patch to the columns it sets; a key present with `undefined` clears the column.
 *
 * @example
 * ```ts
 * await db.updateTable('executions').set(patchToColumns({ status: 'succeeded' })).where('id', '=', id).execute();
 * ```
 */
export function patchToColumns(patch: ExecutionPatch): ExecutionUpdate {
  const set: ExecutionUpdate = {};
  if ('status' in patch && patch.status !== undefined) set.status = patch.status;
  if ('output' in patch) set.output = json(patch.output);
  if ('error' in patch) set.error = json(patch.error);
  if ('wait' in patch) {
    set.wait = json(patch.wait);
    set.wait_kind = patch.wait?.kind ?? null;
    set.resume_at = patch.wait?.resumeAt ?? null;
  }
  if ('finishedAt' in patch) set.finished_at = patch.finishedAt ?? null;
  return set;
}

/**
 * Reads an execution row back into a record; absent optional fields stay absent.
 *
 * @example
 * ```ts
 * const record = rowToExecution('postgres', row);
 * ```
 */
export function rowToExecution(dialect: SqlDialectName, row: Selectable<ExecutionsTable>): ExecutionRecord {
  const r: ExecutionRecord = {
    id: row.id,
    workspaceId: row.workspace_id,
    workflowId: row.workflow_id,
    workflowVersion: Number(row.workflow_version),
    status: row.status as ExecutionRecord['status'],
    mode: row.mode as ExecutionRecord['mode'],
    input: decodeJson(dialect, row.input) as ExecutionRecord['input'],
    startedAt: millis(row.started_at),
    depth: Number(row.depth),
  };
  if (row.output !== null) r.output = decodeJson(dialect, row.output) as ExecutionRecord['output'];
  if (row.error !== null) r.error = decodeJson(dialect, row.error) as ExecutionRecord['error'];
  if (row.wait !== null) r.wait = decodeJson(dialect, row.wait) as ExecutionRecord['wait'];
  if (row.finished_at !== null) r.finishedAt = millis(row.finished_at);
  if (row.parent_execution_id !== null) r.parentExecutionId = row.parent_execution_id;
  if (row.idempotency_key !== null) r.idempotencyKey = row.idempotency_key;
  if (row.start_node_id !== null) r.startNodeId = row.start_node_id;
  return r;
}

/** The parts of a node run kept together as one JSON document (or one blob). */
export type NodeRunPayload = Pick<NodeRunRecord, 'input' | 'output' | 'error' | 'state'>;

/**
 * Splits a node run into its row and its JSON payload text.
 *
 * @example
 * ```ts
 * const { row, payload } = nodeRunToRow(run);
 * ```
 */
export function nodeRunToRow(run: NodeRunRecord): { row: NodeRunRow; payload: string } {
  const payload = JSON.stringify({ input: run.input, output: run.output, error: run.error, state: run.state });
  return {
    payload,
    row: {
      execution_id: run.executionId,
      seq: run.seq,
      node_id: run.nodeId,
      node_name: run.nodeName,
      run_index: run.runIndex,
      status: run.status,
      attempts: run.attempts,
      payload: jsonColumnText(payload),
      blob_key: null,
      started_at: run.startedAt,
      finished_at: run.finishedAt,
    },
  };
}

/**
 * Rebuilds a node run from its row and its decoded payload.
 *
 * @example
 * ```ts
 * const run = rowToNodeRun(row, decodeJson('sqlite', row.payload) as NodeRunPayload);
 * ```
 */
export function rowToNodeRun(row: Selectable<NodeRunsTable>, payload: NodeRunPayload): NodeRunRecord {
  const run: NodeRunRecord = {
    executionId: row.execution_id,
    seq: Number(row.seq),
    nodeId: row.node_id,
    nodeName: row.node_name,
    runIndex: Number(row.run_index),
    status: row.status as NodeRunRecord['status'],
    attempts: Number(row.attempts),
    startedAt: millis(row.started_at),
    finishedAt: millis(row.finished_at),
  };
  if (payload.input !== undefined) run.input = payload.input;
  if (payload.output !== undefined) run.output = payload.output;
  if (payload.error !== undefined) run.error = payload.error;
  if ('state' in payload && payload.state !== undefined) run.state = payload.state;
  return run;
}
