import pg from 'pg';

/**
 * Creates a throwaway Postgres database next to `url` and returns its URL and a drop function.
 *
 * @example
 * ```ts
 * const db = await createTempDatabase(process.env.WEFT_TEST_PG_URL!);
 * // ... WEFT_DATABASE_URL: db.url
 * await db.drop();
 * ```
 */
export async function createTempDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `weft_host_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
