import type { LookupAddress } from 'node:dns';
import type { JsonObject, JsonValue, ResolvedCredential } from '@weft/engine';
import { Auth } from '../../auth/auth-scheme.js';
import { AddressPolicy } from '../../http/address-policy.js';
import { resolveAllowedAddress } from '../../http/resolve-allowed-address.js';
import { defineAction } from '../../kit/define-action.js';
import { defineConnector } from '../../kit/define-connector.js';
import { importOptionalPeer } from '../../kit/import-optional-peer.js';
import { Property } from '../../kit/property.js';
import { svgIcon } from '../../kit/svg-icon.js';

/**
 * Options of {@link createPostgresConnector}.
 *
 * @example
 * ```ts
 * createPostgresConnector({ allow: ['10.0.0.0/8'] } satisfies PostgresConnectorOptions);
 * ```
 */
export interface PostgresConnectorOptions {
  /** Addresses or ranges the database host may resolve to although private (self-hosted databases, tests). */
  allow?: readonly string[];
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

/**
 * Creates the PostgreSQL connector. Queries are always parameterised (`$1`, `$2` bound from
 * Parameters), run with a statement timeout, and the host is checked by the address policy like
 * HTTP targets: a database on a private network must be allow-listed by the host.
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(createPostgresConnector({ allow: ['10.0.0.0/8'] })));
 * ```
 */
export function createPostgresConnector(options: PostgresConnectorOptions = {}) {
  const policy = new AddressPolicy({ allow: options.allow ?? [] });

  async function connect(credential: ResolvedCredential | undefined, statementTimeoutMs: number) {
    const d = credential?.data ?? {};
    const host = String(d.host ?? '').trim();
    if (!host) throw new Error('PostgreSQL credential: host is missing');
    const address = await resolveAllowedAddress(host, policy, options.resolve);
    const { default: pg } = await importOptionalPeer(() => import('pg'), 'pg', 'PostgreSQL connector');
    const client = new pg.Client({
      host: address,
      port: Number(d.port ?? 5432),
      database: String(d.database ?? 'postgres'),
      user: String(d.user ?? 'postgres'),
      ...(typeof d.password === 'string' && d.password ? { password: d.password } : {}),
      ...(d.ssl === true ? { ssl: { servername: host, rejectUnauthorized: true } } : {}),
      statement_timeout: statementTimeoutMs,
      connectionTimeoutMillis: 10_000,
      application_name: 'weft',
    });
    await client.connect();
    return client;
  }

  const connection = Auth.custom({
    type: 'postgres.connection',
    displayName: 'PostgreSQL connection',
    fields: {
      host: Property.ShortText({ label: 'Host', required: true, expressions: false }),
      port: Property.Number({ label: 'Port', default: 5432, integer: true, min: 1, max: 65535 }),
      database: Property.ShortText({ label: 'Database', required: true, expressions: false }),
      user: Property.ShortText({ label: 'User', required: true, expressions: false }),
      password: Property.SecretText({ label: 'Password', expressions: false }),
      ssl: Property.Checkbox({ label: 'Require TLS', default: false }),
    },
    sign: () => {},
    test: async ({ data }) => {
      const client = await connect({ id: 'test', type: 'postgres.connection', data }, 5000);
      try {
        await client.query('SELECT 1');
      } finally {
        await client.end();
      }
    },
  });

  const query = defineAction({
    name: 'query',
    displayName: 'Run query',
    description: 'Runs one parameterised SQL statement',
    sideEffects: 'once',
    props: {
      sql: Property.Code({
        label: 'SQL',
        language: 'sql',
        required: true,
        placeholder: 'SELECT * FROM orders WHERE id = $1',
      }),
      parameters: Property.Json({
        label: 'Parameters',
        description: 'Array bound to $1, $2, ... (never spliced into the SQL)',
      }),
      output: Property.StaticDropdown({
        label: 'Output',
        options: [
          { value: 'rows', label: 'One item per row' },
          { value: 'summary', label: 'One item with rows and row count' },
        ],
        default: 'rows',
      }),
      maxRows: Property.Number({ label: 'Most rows', default: 10_000, integer: true, min: 1 }),
      timeoutMs: Property.Number({ label: 'Statement timeout (ms)', default: 30_000, integer: true, min: 100 }),
    },
    docs: 'Write statements run once per input item; use `RETURNING` to get the affected rows.',
    run: async (ctx) => {
      const p = ctx.props;
      const params = p.parameters ?? [];
      if (!Array.isArray(params)) throw new Error('PostgreSQL: Parameters must be an array (bound to $1, $2, ...)');
      const client = await connect(ctx.credential, p.timeoutMs);
      try {
        const res = await client.query({ text: p.sql, values: params as unknown[] });
        const rows = (res.rows as JsonObject[]).map((r) => JSON.parse(JSON.stringify(r)) as JsonObject);
        if (rows.length > p.maxRows)
          throw new Error(`PostgreSQL: the query returned ${rows.length} rows, more than Most rows (${p.maxRows})`);
        if (p.output === 'summary')
          return { rowCount: res.rowCount ?? 0, command: res.command, rows: rows as JsonValue[] };
        return rows;
      } catch (err) {
        const e = err as { code?: string; position?: string; message: string };
        if (e.code)
          throw new Error(`PostgreSQL ${e.code}: ${e.message}${e.position ? ` (at character ${e.position})` : ''}`);
        throw err;
      } finally {
        await client.end();
      }
    },
  });

  return defineConnector({
    name: 'postgres',
    displayName: 'PostgreSQL',
    description: 'Run parameterised SQL against PostgreSQL.',
    version: '1.0.0',
    icon: svgIcon(
      '#336791',
      '<ellipse cx="12" cy="6.5" rx="6.5" ry="2.5"/><path d="M5.5 6.5v11c0 1.4 2.9 2.5 6.5 2.5s6.5-1.1 6.5-2.5v-11M5.5 12c0 1.4 2.9 2.5 6.5 2.5s6.5-1.1 6.5-2.5"/>',
    ),
    auth: connection,
    actions: [query],
  });
}

/**
 * The PostgreSQL connector with the default policy (public hosts only).
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(postgresConnector));
 * ```
 */
export const postgresConnector = createPostgresConnector();
