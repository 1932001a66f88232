import type { Logger } from '@weft/engine';
import { PostgresReadReplica } from '@weft/postgres';
import type { HostDb } from '@weft/sql';
import type { NextFunction, Request, Response } from 'express';
import type { HostConfig } from '../config/load-config.js';

/**
 * Where the host's heavy reads (execution search, analytics series) go: a streaming replica
 * (`WEFT_DATABASE_READ_URL`) with read-your-writes per workspace, or the primary without one.
 */
export interface ReadRouting {
  /** The handle to read workspace `workspaceId` with now. */
  hFor(workspaceId: string): Promise<HostDb>;
  /** Call after a write of the workspace committed: its reads go to the primary until the replica replayed it. */
  noteWrite(workspaceId: string): void;
  /** The replica, when one is configured. */
  replica?: PostgresReadReplica;
  close(): Promise<void>;
}

/**
 * Builds the {@link ReadRouting} of a runtime: with `databaseReadUrl` a {@link PostgresReadReplica}
 * on the storage's schema; else every read goes to `h`.
 *
 * @example
 * ```ts
 * const reads = buildReadRouting(config, h, logger);
 * const page = await searchExecutions(await reads.hFor(workspaceId), workspaceId, { limit: 50 });
 * ```
 */
export function buildReadRouting(
  config: Pick<HostConfig, 'databaseReadUrl'>,
  h: HostDb,
  logger: Logger,
  schema = 'public',
): ReadRouting {
  if (!config.databaseReadUrl || h.dialect !== 'postgres') {
    return { hFor: async () => h, noteWrite: () => {}, close: async () => {} };
  }
  let warned = 0;
  const replica = new PostgresReadReplica({
    primary: h.db,
    connectionString: config.databaseReadUrl,
    schema,
    onError: (err) => {
      // Reads fall back to the primary; say so, but not on every request.
      if (Date.now() - warned > 60_000) {
        warned = Date.now();
        logger.warn({ err: err.message }, 'read replica unavailable: reading from the primary');
      }
    },
  });
  const replicaH: HostDb = { db: replica.db, dialect: 'postgres' };
  return {
    hFor: async (workspaceId) => ((await replica.route(workspaceId)) === 'replica' ? replicaH : h),
    noteWrite: (workspaceId) => replica.noteWrite(workspaceId),
    replica,
    close: () => replica.close(),
  };
}

/**
 * Express middleware for `/workspaces/:workspaceId`: once a request that may write (not GET,
 * HEAD or OPTIONS) answered below 400, the workspace's reads go to the primary until the replica
 * replayed it, so the user who just wrote sees it in lists and charts.
 *
 * @example
 * ```ts
 * api.use('/workspaces/:workspaceId', noteWorkspaceWrites(rt.reads));
 * ```
 */
export function noteWorkspaceWrites(
  reads: Pick<ReadRouting, 'noteWrite' | 'replica'>,
): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    const workspaceId = String(req.params.workspaceId ?? '');
    if (reads.replica && workspaceId && !SAFE_METHODS.has(req.method)) {
      res.on('finish', () => {
        if (res.statusCode < 400) reads.noteWrite(workspaceId);
      });
    }
    next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
