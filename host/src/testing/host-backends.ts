import type { ServiceTarget } from '@weft/testing';
import { createTempDatabase } from './postgres-database.js';

/** A storage backend for host tests: its title, whether to skip it, and how to open it. */
export type HostBackend = [
  title: string,
  skip: boolean,
  open: () => Promise<{ env: Record<string, string>; drop?: () => Promise<void> }>,
];

/**
 * SQLite (a fresh data directory) and Postgres (a throwaway database next to `pg`, skipped when
 * the service is absent), for `describe.each` over real hosts.
 *
 * @example
 * ```ts
 * describe.each(sqliteAndPostgres(await serviceUrl('pg')))('API on %s', (_title, skip, open) => { ... });
 * ```
 */
export function sqliteAndPostgres(pg: ServiceTarget, pgTitle = 'Postgres'): HostBackend[] {
  return [
    ['SQLite', false, async () => ({ env: {} })],
    [
      pg.title(pgTitle),
      pg.skip,
      async () => {
        const db = await createTempDatabase(pg.url());
        return { env: { WEFT_DATABASE_URL: db.url }, drop: db.drop };
      },
    ],
  ];
}
