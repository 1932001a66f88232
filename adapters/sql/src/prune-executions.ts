import type { Kysely } from 'kysely';
import type { WeftDatabase } from './schema.js';
import { millis } from './sql-dialect.js';

/** What to prune. At least one of `olderThan` and `keepPerWorkflow` must be given. */
export interface PruneOptions {
  /** Epoch ms: finished executions started before this go. */
  olderThan?: number;
  /** Keep the newest N executions of each workflow; older finished ones go. */
  keepPerWorkflow?: number;
  /** Executions per transaction (default 1000, at most 10,000). */
  chunkSize?: number;
}

/** Progress reported after each chunk. */
export interface PruneProgress {
  /** Executions deleted so far by this run. */
  deleted: number;
  /** Chunks committed so far. */
  chunks: number;
}

const FINISHED = ['succeeded', 'failed', 'cancelled'];

/**
 * Deletes finished executions and their node runs in chunks, yielding progress after each
 * committed chunk. Only one chunk of ids is held in memory at a time. `beforeDelete` receives each
 * chunk's ids and returns a callback run after the chunk commits (used to delete blobs).
 *
 * @example
 * ```ts
 * for await (const p of pruneExecutions(db, { olderThan: cutoff, chunkSize: 2000 })) console.log(p);
 * ```
 */
export async function* pruneExecutions(
  db: Kysely<WeftDatabase>,
  options: PruneOptions,
  beforeDelete?: (ids: string[]) => Promise<() => Promise<void>>,
): AsyncGenerator<PruneProgress, PruneProgress> {
  if (options.olderThan === undefined && options.keepPerWorkflow === undefined) {
    throw new Error('pruneExecutions needs olderThan, keepPerWorkflow or both');
  }
  if (options.keepPerWorkflow !== undefined && options.keepPerWorkflow < 0) {
    throw new Error(`pruneExecutions: keepPerWorkflow must be >= 0, got ${options.keepPerWorkflow}`);
  }
  const chunkSize = Math.min(10_000, Math.max(1, options.chunkSize ?? 1000));
  const progress: PruneProgress = { deleted: 0, chunks: 0 };

  const deleteChunk = async (ids: string[]) => {
    const after = beforeDelete ? await beforeDelete(ids) : undefined;
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('node_runs').where('execution_id', 'in', ids).execute();
      await trx.deleteFrom('executions').where('id', 'in', ids).execute();
    });
    await after?.();
    progress.deleted += ids.length;
    progress.chunks++;
  };

  if (options.olderThan !== undefined) {
    const cutoff = options.olderThan;
    // Workspace by workspace, so each chunk is a range scan of the (workspace_id, started_at) index.
    for (let ws = await nextWorkspace(db, undefined); ws !== undefined; ws = await nextWorkspace(db, ws)) {
      for (;;) {
        const rows = await db
          .selectFrom('executions')
          .select('id')
          .where('workspace_id', '=', ws)
          .where('started_at', '<', cutoff)
          .where('status', 'in', FINISHED)
          .orderBy('started_at')
          .orderBy('id')
          .limit(chunkSize)
          .execute();
        if (rows.length === 0) break;
        await deleteChunk(rows.map((r) => r.id));
        yield { ...progress };
      }
    }
  }

  if (options.keepPerWorkflow !== undefined) {
    const keep = options.keepPerWorkflow;
    let after: { ws: string; wf: string } | undefined;
    for (;;) {
      const groups = await db
        .selectFrom('executions')
        .select(['workspace_id', 'workflow_id'])
        .distinct()
        .$if(after !== undefined, (q) =>
          q.where((eb) =>
            eb.or([
              eb('workspace_id', '>', after?.ws as string),
              eb.and([eb('workspace_id', '=', after?.ws as string), eb('workflow_id', '>', after?.wf as string)]),
            ]),
          ),
        )
        .orderBy('workspace_id')
        .orderBy('workflow_id')
        .limit(200)
        .execute();
      if (groups.length === 0) break;
      for (const g of groups) {
        const edge = await db
          .selectFrom('executions')
          .select(['started_at', 'id'])
          .where('workspace_id', '=', g.workspace_id)
          .where('workflow_id', '=', g.workflow_id)
          .orderBy('started_at', 'desc')
          .orderBy('id', 'desc')
          .offset(Math.max(0, keep - 1))
          .limit(1)
          .executeTakeFirst();
        if (!edge && keep > 0) continue;
        const startedAt = edge ? millis(edge.started_at) : Number.MAX_SAFE_INTEGER;
        const id = edge ? edge.id : '\uffff';
        const inclusive = keep === 0;
        for (;;) {
          const rows = await db
            .selectFrom('executions')
            .select('id')
            .where('workspace_id', '=', g.workspace_id)
            .where('workflow_id', '=', g.workflow_id)
            .where('status', 'in', FINISHED)
            .where((eb) =>
              eb.or([
                eb('started_at', '<', startedAt),
                eb.and([eb('started_at', '=', startedAt), eb('id', inclusive ? '<=' : '<', id)]),
              ]),
            )
            .orderBy('started_at')
            .orderBy('id')
            .limit(chunkSize)
            .execute();
          if (rows.length === 0) break;
          await deleteChunk(rows.map((r) => r.id));
          yield { ...progress };
        }
      }
      const last = groups[groups.length - 1];
      after = last && { ws: last.workspace_id, wf: last.workflow_id };
    }
  }
  return progress;
}

async function nextWorkspace(db: Kysely<WeftDatabase>, after: string | undefined): Promise<string | undefined> {
  const row = await db
    .selectFrom('executions')
    .select('workspace_id')
    .$if(after !== undefined, (q) => q.where('workspace_id', '>', after as string))
    .orderBy('workspace_id')
    .limit(1)
    .executeTakeFirst();
  return row?.workspace_id;
}
