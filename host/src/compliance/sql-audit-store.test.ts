import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '@weft/compliance';
import type { AuditEntry } from '@weft/engine';
import { createPostgresStorage } from '@weft/postgres';
import { SqlAuditStore } from '@weft/sql';
import { createSqliteStorage } from '@weft/sqlite';
import { serviceUrl } from '@weft/testing';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../testing/postgres-database.js';
import { Ed25519AuditSigner } from './ed25519-audit-signer.js';

interface Backend {
  store: SqlAuditStore;
  /** Runs SQL as someone with direct database access, append-only triggers switched off first. */
  tamper(statement: string): Promise<void>;
  /** Runs SQL as the application would (triggers on). */
  run(statement: string): Promise<void>;
  /** A second connection pool to the same database (Postgres); SQLite answers its one store. */
  peer(): Promise<SqlAuditStore>;
  truncatable: boolean;
  close(): Promise<void>;
}

const pg = await serviceUrl('pg');

async function openSqlite(): Promise<Backend> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-audit-'));
  const filename = join(dir, 'weft.db');
  const storage = await createSqliteStorage({ filename });
  return {
    store: new SqlAuditStore({ db: storage.db, dialect: 'sqlite' }),
    async tamper(statement) {
      storage.database.exec(
        `drop trigger if exists audit_log_no_update; drop trigger if exists audit_log_no_delete; ${statement}`,
      );
    },
    async run(statement) {
      storage.database.exec(statement);
    },
    // better-sqlite3 is synchronous: a second connection in this process would block the event loop
    // in its busy handler while the first waits on it. Across processes SQLite's single write lock
    // serialises appends; here concurrent appends share the one connection.
    async peer() {
      return new SqlAuditStore({ db: storage.db, dialect: 'sqlite' });
    },
    truncatable: false,
    async close() {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(): Promise<Backend> {
  const temp = await createTempDatabase(pg.url());
  const open = () => createPostgresStorage({ connectionString: temp.url, poolSize: 4 });
  const storage = await open();
  const others: { close(): Promise<void> }[] = [];
  return {
    store: new SqlAuditStore({ db: storage.db, dialect: 'postgres' }),
    async tamper(statement) {
      await sql.raw(`alter table audit_log disable trigger user; ${statement}`).execute(storage.db);
    },
    async run(statement) {
      await sql.raw(statement).execute(storage.db);
    },
    async peer() {
      const other = await open();
      others.push(other);
      return new SqlAuditStore({ db: other.db, dialect: 'postgres' });
    },
    truncatable: true,
    async close() {
      for (const o of others) await o.close();
      await storage.close();
      await temp.drop();
    },
  };
}

const entry = (i: number): AuditEntry => ({
  workspaceId: 'ws_1',
  actor: { type: i % 2 ? 'user' : 'api-key', id: `actor_${i % 3}` },
  action: i % 2 ? 'workflow.update' : 'credential.create',
  resource: { type: i % 2 ? 'workflow' : 'credential', id: `r_${i}` },
  outcome: 'success',
  at: 1_700_000_000_000 + i,
  ip: '198.51.100.4',
  userAgent: 'vitest',
  requestId: `req_${i}`,
  changes: { fields: ['name', 'nodes'], count: i, big: 1e21 },
});

describe.each([
  ['SQLite', false, openSqlite],
  [pg.title('Postgres'), pg.skip, openPostgres],
] as const)('SqlAuditStore on %s', (_title, skip, open) => {
  let backend: Backend | undefined;
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
  });

  async function filled(n: number) {
    backend = await open();
    const log = new AuditLog({ store: backend.store, signer: Ed25519AuditSigner.generate(), checkpointEvery: 5 });
    for (let i = 1; i <= n; i++) await log.append(entry(i));
    return { b: backend, log };
  }

  it.skipIf(skip)('stores a chain that verifies, with its checkpoints, and lists with filters', async () => {
    const { log } = await filled(12);
    expect(await log.verify('ws_1')).toMatchObject({ ok: true, entries: 12, checkpoints: 2 });
    const page = await log.list({ workspaceId: 'ws_1', action: 'workflow.', actorId: 'actor_1', limit: 10 });
    expect(page.map((r) => r.position)).toEqual([7, 1]);
    expect(page[0]?.changes).toEqual({ fields: ['name', 'nodes'], count: 7, big: 1e21 });
  });

  it.skipIf(skip)('refuses UPDATE and DELETE of entries in the database itself', async () => {
    const { b, log } = await filled(5);
    await expect(b.run(`update audit_log set outcome = 'denied'`)).rejects.toThrow(/append-only/);
    await expect(b.run('delete from audit_log')).rejects.toThrow(/append-only/);
    await expect(b.run('delete from audit_checkpoints')).rejects.toThrow(/append-only/);
    if (b.truncatable) await expect(b.run('truncate audit_log')).rejects.toThrow(/append-only/);
    expect(await log.verify('ws_1')).toMatchObject({ ok: true, entries: 5, checkpoints: 1 });
  });

  it.skipIf(skip)('names an entry whose JSON was edited in the database', async () => {
    const { b, log } = await filled(8);
    const [row] = await b.store.walk('ws_1', 0, 3).then((r) => r.slice(2));
    await b.tamper(`update audit_log set changes = '{"fields":["name"]}' where position = 3`);
    expect((await log.verify('ws_1')).broken).toMatchObject({ seq: row?.seq, position: 3, reason: 'edited' });
  });

  it.skipIf(skip)('names a deleted entry', async () => {
    const { b, log } = await filled(8);
    await b.tamper('delete from audit_log where position = 4');
    expect((await log.verify('ws_1')).broken).toMatchObject({ seq: null, position: 4, reason: 'missing' });
  });

  it.skipIf(skip)('names the first of two swapped entries', async () => {
    const { b, log } = await filled(8);
    const rows = await b.store.walk('ws_1', 0, 8);
    const [a, c] = [rows[1], rows[5]] as [(typeof rows)[0], (typeof rows)[0]];
    const cols =
      'workspace_id, position, at, actor_type, actor_id, action, resource_type, resource_id, outcome, ip, user_agent, request_id, changes, prev_hash, hash';
    await b.tamper(
      `create table swap as select * from audit_log where seq in (${a.seq}, ${c.seq});
       update audit_log set (${cols}) = (select ${cols} from swap where swap.seq = ${c.seq}) where seq = ${a.seq};
       update audit_log set (${cols}) = (select ${cols} from swap where swap.seq = ${a.seq}) where seq = ${c.seq};`,
    );
    expect((await log.verify('ws_1')).broken).toMatchObject({ seq: a.seq, position: 6, reason: 'out-of-order' });
  });

  it.skipIf(skip)('keeps one chain under concurrent appends (from two connection pools on Postgres)', async () => {
    backend = await open();
    const peer = await backend.peer();
    const logs = [new AuditLog({ store: backend.store }), new AuditLog({ store: peer })];
    await Promise.all(Array.from({ length: 40 }, (_, i) => (logs[i % 2] as AuditLog).append(entry(i + 1))));
    const v = await logs[0]?.verify('ws_1');
    expect(v).toMatchObject({ ok: true, entries: 40 });
  });
});
