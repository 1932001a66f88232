import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialVault } from '@weft/connectors';
import { SqlCredentialRecordStore } from '@weft/sql';
import { createSqliteStorage } from '@weft/sqlite';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'weft-vault-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('credentials at rest', () => {
  it('keep no plaintext secret in the SQLite file (raw bytes, WAL included)', async () => {
    const storage = await createSqliteStorage({ filename: join(dir, 'weft.db') });
    const store = new SqlCredentialRecordStore({ db: storage.db, dialect: 'sqlite' });
    const vault = new CredentialVault({ store, masterKeys: [{ id: 'k1', key: new Uint8Array(randomBytes(32)) }] });
    const secret = `sk_live_${randomBytes(16).toString('hex')}`;
    const info = await vault.create({
      workspaceId: 'ws1',
      type: 'stripe.apiKey',
      name: 'Stripe',
      data: { apiKey: secret },
    });
    await vault.update('ws1', info.id, { data: { apiKey: `${secret}-v2` } });
    const bytes = Buffer.concat(
      readdirSync(dir)
        .filter((f) => f.startsWith('weft.db'))
        .map((f) => readFileSync(join(dir, f))),
    );
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.includes(Buffer.from('Stripe'))).toBe(true); // metadata is stored in the clear
    expect(bytes.includes(Buffer.from(secret))).toBe(false);
    expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
    expect((await vault.resolve({ workspaceId: 'ws1', credentialId: info.id, nodeType: 'x.y' })).data.apiKey).toBe(
      `${secret}-v2`,
    );
    await storage.close();
  });
});
