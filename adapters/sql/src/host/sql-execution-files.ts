import { type Kysely, sql } from 'kysely';
import type { MillisColumn } from '../schema.js';
import { millis } from '../sql-dialect.js';
import type { HostDb } from './host-database.js';

interface FileTables {
  execution_files: {
    key: string;
    workspace_id: string;
    execution_id: string;
    size: MillisColumn;
    created_at: MillisColumn;
  };
  executions: { id: string };
}

/** One file an execution stored. */
export interface ExecutionFileRow {
  key: string;
  workspaceId: string;
  executionId: string;
  size: number;
  createdAt: number;
}

/**
 * The `execution_files` table (migration 14): which blob keys belong to which workspace and
 * execution, and how large they are. Quota checks sum a workspace's sizes (an index-only scan);
 * {@link SqlExecutionFiles.orphans} finds files whose execution no longer exists.
 *
 * @example
 * ```ts
 * const files = new SqlExecutionFiles(h);
 * await files.add({ key: 'ws1/e1/f', workspaceId: 'ws1', executionId: 'e1', size: 42, createdAt: Date.now() });
 * await files.usedBytes('ws1'); // 42
 * ```
 */
export class SqlExecutionFiles {
  readonly #db: Kysely<FileTables>;

  constructor(h: HostDb) {
    this.#db = h.db as unknown as Kysely<FileTables>;
  }

  /** Records a stored file (replacing the row of a key stored again). */
  async add(row: ExecutionFileRow): Promise<void> {
    const values = {
      key: row.key,
      workspace_id: row.workspaceId,
      execution_id: row.executionId,
      size: row.size,
      created_at: row.createdAt,
    };
    await this.#db
      .insertInto('execution_files')
      .values(values)
      .onConflict((oc) => oc.column('key').doUpdateSet({ size: row.size, created_at: row.createdAt }))
      .execute();
  }

  /** The file stored under `key`, if any. */
  async get(key: string): Promise<ExecutionFileRow | undefined> {
    const r = await this.#db.selectFrom('execution_files').selectAll().where('key', '=', key).executeTakeFirst();
    return r && toRow(r);
  }

  /** Bytes of files the workspace keeps. */
  async usedBytes(workspaceId: string): Promise<number> {
    const r = await this.#db
      .selectFrom('execution_files')
      .select(sql<number | string | null>`sum(size)`.as('total'))
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    return Number(r?.total ?? 0);
  }

  /** Forgets the given keys. */
  async remove(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 500) {
      await this.#db
        .deleteFrom('execution_files')
        .where('key', 'in', keys.slice(i, i + 500))
        .execute();
    }
  }

  /** Forgets every file whose key starts with `prefix`; returns their keys. */
  async removePrefix(prefix: string): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('execution_files')
      .select('key')
      .where(sql<boolean>`key like ${`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`)
      .execute();
    const keys = rows.map((r) => r.key).filter((k) => k.startsWith(prefix));
    await this.remove(keys);
    return keys;
  }

  /**
   * Up to `limit` files whose execution no longer exists, stored before `before` (epoch ms), so
   * uploads stored just ahead of their execution row are not taken for orphans.
   */
  async orphans(before: number, limit: number): Promise<ExecutionFileRow[]> {
    const rows = await this.#db
      .selectFrom('execution_files as f')
      .leftJoin('executions as e', 'e.id', 'f.execution_id')
      .selectAll('f')
      .where('e.id', 'is', null)
      .where('f.created_at', '<', before)
      .orderBy('f.key')
      .limit(limit)
      .execute();
    return rows.map(toRow);
  }
}

function toRow(r: FileTables['execution_files']): ExecutionFileRow {
  return {
    key: r.key,
    workspaceId: r.workspace_id,
    executionId: r.execution_id,
    size: millis(r.size),
    createdAt: millis(r.created_at),
  };
}
