import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely, Transaction } from 'kysely';
import type { WeftDatabase } from './schema.js';

interface Scope {
  trx: Transaction<WeftDatabase> | undefined;
  open: boolean;
}

const scopes = new AsyncLocalStorage<Scope>();
let opened = 0;

/**
 * A kysely handle that runs on the transaction {@link inAmbientTransaction} has open around the
 * current call, and on `db` otherwise. Stores built on it join that transaction without knowing:
 * their own `transaction().execute(fn)` runs `fn` on it. Once the transaction ends, late callers
 * fall back to `db`.
 *
 * @example
 * ```ts
 * const workflows = new SqlWorkflowStore({ db: ambientDb(db), dialect: 'sqlite' });
 * await inAmbientTransaction(db, async () => { await workflows.save(ws, wf); await audit.append(entry); });
 * ```
 */
export function ambientDb(db: Kysely<WeftDatabase>): Kysely<WeftDatabase> {
  return new Proxy(db, {
    get(target, prop) {
      const scope = scopes.getStore();
      const on = scope?.open && scope.trx ? scope.trx : target;
      if (on !== target && prop === 'transaction') return () => ({ execute: <T>(fn: (t: typeof on) => T) => fn(on) });
      const value = Reflect.get(on, prop, on);
      return typeof value === 'function' ? value.bind(on) : value;
    },
  });
}

/**
 * Runs `fn` inside one database transaction that every {@link ambientDb} handle joins; commits
 * when it resolves, rolls back when it throws. Nested calls join the outer transaction. The
 * storage is disabled again once no such transaction is open: on Node 20 an enabled
 * AsyncLocalStorage runs async-hooks code for every promise of the process.
 */
export async function inAmbientTransaction<T>(db: Kysely<WeftDatabase>, fn: () => Promise<T>): Promise<T> {
  if (scopes.getStore()?.open) return fn();
  const scope: Scope = { trx: undefined, open: false };
  opened++;
  try {
    return await db.transaction().execute((trx) => {
      scope.trx = trx;
      scope.open = true;
      return scopes.run(scope, fn);
    });
  } finally {
    scope.open = false;
    scope.trx = undefined;
    if (--opened === 0) scopes.disable();
  }
}
