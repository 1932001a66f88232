import { fromJson, type HostDb, millis, toJson } from '@weft/sql';

/** A passkey as the API shows it (no key material). */
export interface Passkey {
  id: string;
  name: string;
  /** `singleDevice` or `multiDevice` (synced). */
  deviceType: string;
  backedUp: boolean;
  createdAt: number;
  lastUsedAt: number | null;
}

/** A passkey with what verifying an assertion needs. */
export interface StoredPasskey extends Passkey {
  userId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
}

type Row = {
  id: string;
  user_id: string;
  name: string;
  public_key: string;
  counter: number | string;
  transports: unknown;
  device_type: string;
  backed_up: number;
  created_at: number | string;
  last_used_at: number | string | null;
};

const toPasskey = (r: Row): StoredPasskey => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  publicKey: r.public_key,
  counter: millis(r.counter),
  transports: fromJson<string[]>(r.transports) ?? [],
  deviceType: r.device_type,
  backedUp: Number(r.backed_up) === 1,
  createdAt: millis(r.created_at),
  lastUsedAt: millis(r.last_used_at) ?? null,
});

/** Strips the key material. */
export const publicPasskey = ({
  userId: _u,
  publicKey: _k,
  counter: _c,
  transports: _t,
  ...p
}: StoredPasskey): Passkey => p;

/**
 * Passkeys (WebAuthn credentials) and one-time ceremony challenges in the host database
 * (migration 16). Every query about a user's passkeys is scoped by user id.
 *
 * @example
 * ```ts
 * const store = new PasskeyStore(runtime.h);
 * const mine = await store.list(userId);
 * ```
 */
export class PasskeyStore {
  constructor(readonly h: HostDb) {}

  async list(userId: string): Promise<StoredPasskey[]> {
    const rows = await this.h.db
      .selectFrom('webauthn_credentials')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
    return rows.map(toPasskey);
  }

  async byId(id: string): Promise<StoredPasskey | undefined> {
    const row = await this.h.db.selectFrom('webauthn_credentials').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toPasskey(row);
  }

  async add(p: Omit<StoredPasskey, 'createdAt' | 'lastUsedAt'>): Promise<StoredPasskey> {
    const now = Date.now();
    await this.h.db
      .insertInto('webauthn_credentials')
      .values({
        id: p.id,
        user_id: p.userId,
        name: p.name,
        public_key: p.publicKey,
        counter: p.counter,
        transports: toJson(p.transports),
        device_type: p.deviceType,
        backed_up: p.backedUp ? 1 : 0,
        created_at: now,
        last_used_at: null,
      })
      .execute();
    return { ...p, createdAt: now, lastUsedAt: null };
  }

  async used(id: string, counter: number): Promise<void> {
    await this.h.db
      .updateTable('webauthn_credentials')
      .set({ counter, last_used_at: Date.now() })
      .where('id', '=', id)
      .execute();
  }

  /** Deletes one of the user's passkeys; false when they have none with that id. */
  async remove(userId: string, id: string): Promise<boolean> {
    const r = await this.h.db
      .deleteFrom('webauthn_credentials')
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async saveChallenge(
    id: string,
    c: { userId: string | null; purpose: 'register' | 'authenticate'; challenge: string },
    ttlMs: number,
  ): Promise<void> {
    const now = Date.now();
    await this.h.db.deleteFrom('webauthn_challenges').where('expires_at', '<', now).execute();
    await this.h.db
      .insertInto('webauthn_challenges')
      .values({ id, user_id: c.userId, purpose: c.purpose, challenge: c.challenge, expires_at: now + ttlMs })
      .execute();
  }

  /** Removes and returns a live challenge (each is good for one ceremony). */
  async takeChallenge(
    id: string,
    purpose: 'register' | 'authenticate',
  ): Promise<{ userId: string | null; challenge: string } | undefined> {
    const row = await this.h.db
      .deleteFrom('webauthn_challenges')
      .where('id', '=', id)
      .where('purpose', '=', purpose)
      .returningAll()
      .executeTakeFirst();
    if (!row || millis(row.expires_at) < Date.now()) return undefined;
    return { userId: row.user_id, challenge: row.challenge };
  }
}
