import { randomBytes } from 'node:crypto';
import { NodeRegistry } from '@weft/engine';
import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorNodeTypes } from '../../kit/connector-node-types.js';
import { testCredential } from '../../kit/test-credential.js';
import { runNode } from '../../testing/node-context.js';
import { createPostgresConnector } from './postgres-connector.js';

const pg = await serviceUrl('pg');

describe.skipIf(pg.skip)(pg.title('PostgreSQL connector'), () => {
  const schema = `weft_conn_${randomBytes(4).toString('hex')}`;
  let credential: { id: string; type: string; data: Record<string, string | number | boolean> };
  const connector = createPostgresConnector({ allow: ['127.0.0.0/8', '::1/128'] });
  const query = () => new NodeRegistry().register(...connectorNodeTypes(connector)).get('postgres.query')!;
  const run = (params: Record<string, unknown>) =>
    runNode(query(), { params: { output: 'rows', maxRows: 10_000, timeoutMs: 5000, ...params }, credential });

  beforeAll(async () => {
    const url = new URL(pg.url());
    credential = {
      id: 'pg',
      type: 'postgres.connection',
      data: {
        host: url.hostname,
        port: Number(url.port || 5432),
        database: url.pathname.slice(1) || 'postgres',
        user: decodeURIComponent(url.username || 'postgres'),
        password: decodeURIComponent(url.password),
      },
    };
    await run({ sql: `CREATE SCHEMA ${schema}` });
    await run({
      sql: `CREATE TABLE ${schema}.orders (id serial PRIMARY KEY, email text NOT NULL, total numeric, meta jsonb)`,
    });
  });
  afterAll(async () => {
    await run({ sql: `DROP SCHEMA ${schema} CASCADE` });
  });

  it('inserts and selects with bound parameters; injection stays data', async () => {
    const evil = "x'); DROP TABLE orders; --";
    const [row] = await run({
      sql: `INSERT INTO ${schema}.orders (email, total, meta) VALUES ($1, $2, $3) RETURNING id, email`,
      parameters: [evil, 12.5, { vip: true }],
    });
    expect(row?.json).toMatchObject({ email: evil });
    await run({ sql: `INSERT INTO ${schema}.orders (email, total) VALUES ($1, $2)`, parameters: ['b@x.io', 3] });
    const rows = await run({ sql: `SELECT email, total::float AS total, meta FROM ${schema}.orders ORDER BY id` });
    expect(rows.map((r) => r.json)).toEqual([
      { email: evil, total: 12.5, meta: { vip: true } },
      { email: 'b@x.io', total: 3, meta: null },
    ]);
    const [summary] = await run({ sql: `UPDATE ${schema}.orders SET total = total + 1`, output: 'summary' });
    expect(summary?.json).toMatchObject({ rowCount: 2, command: 'UPDATE' });
  });

  it('reports SQL errors with their code and position, and enforces limits', async () => {
    await expect(run({ sql: 'SELEC 1' })).rejects.toThrow(
      /PostgreSQL 42601: syntax error at or near "SELEC" \(at character 1\)/,
    );
    await expect(run({ sql: 'SELECT pg_sleep(2)', timeoutMs: 200 })).rejects.toThrow(
      /PostgreSQL 57014: canceling statement due to statement timeout/,
    );
    await expect(run({ sql: 'SELECT generate_series(1, 5)', maxRows: 3 })).rejects.toThrow('more than Most rows (3)');
    await expect(run({ sql: 'SELECT $1::int', parameters: { a: 1 } })).rejects.toThrow('Parameters must be an array');
  });

  it('refuses a private host unless allowed, and tests the connection', async () => {
    const guarded = new NodeRegistry()
      .register(...connectorNodeTypes(createPostgresConnector()))
      .get('postgres.query')!;
    await expect(
      runNode(guarded, { params: { sql: 'SELECT 1', output: 'rows', maxRows: 1, timeoutMs: 1000 }, credential }),
    ).rejects.toThrow(/blocked: loopback/);
    expect(await testCredential(connector, credential)).toEqual({ ok: true });
    expect(
      (await testCredential(connector, { ...credential, data: { ...credential.data, database: 'no_such_db_weft' } }))
        .ok,
    ).toBe(false);
  });
});
