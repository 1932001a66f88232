import { randomBytes } from 'node:crypto';
import { MemoryCredentialRecordStore } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { Auth } from '../auth/auth-scheme.js';
import { CredentialBrokenError } from '../auth/oauth2-token-manager.js';
import { CredentialVault } from './credential-vault.js';
import { parseMasterKeys } from './master-keys.js';

const k1 = { id: 'k1', key: new Uint8Array(randomBytes(32)) };
const k2 = { id: 'k2', key: new Uint8Array(randomBytes(32)) };

describe('CredentialVault', () => {
  it('is write-only: get and list return field names, never values', async () => {
    const vault = new CredentialVault({ store: new MemoryCredentialRecordStore(), masterKeys: [k1] });
    const info = await vault.create({
      workspaceId: 'ws1',
      type: 't.basic',
      name: 'B',
      data: { username: 'u', password: 'hunter22' },
    });
    const listed = await vault.list('ws1');
    expect(listed).toEqual([info]);
    expect(JSON.stringify(listed)).not.toContain('hunter22');
    expect(info.fields).toEqual(['password', 'username']);
    expect(await vault.list('ws2')).toEqual([]);
    await expect(vault.resolve({ workspaceId: 'ws2', credentialId: info.id, nodeType: 'x.y' })).rejects.toThrow(
      /not found in workspace ws2/,
    );
  });

  it('redacts every secret it has seen', async () => {
    const vault = new CredentialVault({ store: new MemoryCredentialRecordStore(), masterKeys: [k1] });
    await vault.create({ workspaceId: 'ws1', type: 't.bearer', name: 'T', data: { token: 'tok-abc-123' } });
    const err = new Error('request failed: Authorization Bearer tok-abc-123');
    expect(vault.redactor.redact(err).message).toBe('request failed: Authorization Bearer [REDACTED]');
    expect(vault.redactor.redact({ url: 'https://x/?key=tok-abc-123', n: 1 })).toEqual({
      url: 'https://x/?key=[REDACTED]',
      n: 1,
    });
  });

  it('with schemes, learns only secret fields and their wire forms (basic auth pair, refreshed tokens)', async () => {
    const schemes = [
      Auth.basic({ type: 't.basic', displayName: 'B' }),
      Auth.oauth2({ type: 't.m2m', displayName: 'M', grant: 'clientCredentials', tokenUrl: 'https://t/x', scopes: [] }),
    ];
    const vault = new CredentialVault({ store: new MemoryCredentialRecordStore(), masterKeys: [k1], schemes });
    await vault.create({
      workspaceId: 'ws1',
      type: 't.basic',
      name: 'B',
      data: { username: 'ada-admin', password: 'pw-8812' },
    });
    const header = `Basic ${Buffer.from('ada-admin:pw-8812').toString('base64')}`;
    expect(vault.redactor.redact(`user ada-admin sent ${header}`)).toBe('user ada-admin sent Basic [REDACTED]');
    const m2m = await vault.create({
      workspaceId: 'ws1',
      type: 't.m2m',
      name: 'M',
      data: { clientId: 'client-1', clientSecret: 'cs-5521' },
    });
    await vault.updateData(
      { workspaceId: 'ws1', credentialId: m2m.id },
      { accessToken: 'at-fresh-1', tokenType: 'Bearer' },
    );
    expect(vault.redactor.redact('client-1 got at-fresh-1 (Bearer)')).toBe('client-1 got [REDACTED] (Bearer)');
  });

  it('binds ciphertext to its row: a swapped ciphertext does not decrypt', async () => {
    const store = new MemoryCredentialRecordStore();
    const vault = new CredentialVault({ store, masterKeys: [k1] });
    const a = await vault.create({ workspaceId: 'ws1', type: 't', name: 'A', data: { v: 'aaaa' } });
    const b = await vault.create({ workspaceId: 'ws1', type: 't', name: 'B', data: { v: 'bbbb' } });
    const rowA = (await store.get('ws1', a.id))!;
    const rowB = (await store.get('ws1', b.id))!;
    await store.update({ ...rowB, iv: rowA.iv, tag: rowA.tag, ciphertext: rowA.ciphertext });
    await expect(vault.resolve({ workspaceId: 'ws1', credentialId: b.id, nodeType: 'x.y' })).rejects.toThrow();
  });

  it('rotates the master key while reads go on, and old processes with both keys keep reading', async () => {
    const store = new MemoryCredentialRecordStore();
    const before = new CredentialVault({ store, masterKeys: [k1] });
    const ids: string[] = [];
    for (const ws of ['ws1', 'ws2', 'ws3']) {
      ids.push((await before.create({ workspaceId: ws, type: 't', name: ws, data: { secret: `s-${ws}` } })).id);
    }
    const rotating = new CredentialVault({ store, masterKeys: [k1, k2], activeMasterKeyId: 'k1' });
    const reader = new CredentialVault({ store, masterKeys: [k1, k2] });
    const reads = ['ws1', 'ws2', 'ws3'].map((ws, i) =>
      reader.resolve({ workspaceId: ws, credentialId: ids[i]!, nodeType: 'x.y' }),
    );
    const [result] = await Promise.all([rotating.rotateMasterKey('k2'), ...reads]);
    expect(result).toEqual({ rewrapped: 3 });
    expect((await store.listDataKeys('k2')).length).toBe(0);
    const onlyNew = new CredentialVault({ store, masterKeys: [k2] });
    expect((await onlyNew.resolve({ workspaceId: 'ws2', credentialId: ids[1]!, nodeType: 'x.y' })).data).toEqual({
      secret: 's-ws2',
    });
    expect(await rotating.rotateMasterKey('k2')).toEqual({ rewrapped: 0 });
    const onlyOld = new CredentialVault({ store, masterKeys: [k1] });
    await expect(onlyOld.resolve({ workspaceId: 'ws1', credentialId: ids[0]!, nodeType: 'x.y' })).rejects.toThrow(
      /unconfigured master key "k2"/,
    );
  });

  it('marks credentials broken; writing new data reconnects them', async () => {
    const vault = new CredentialVault({ store: new MemoryCredentialRecordStore(), masterKeys: [k1] });
    const c = await vault.create({ workspaceId: 'ws1', type: 't', name: 'C', data: { a: 'xxxx' } });
    await vault.markBroken({ workspaceId: 'ws1', credentialId: c.id }, 'invalid_grant');
    await expect(vault.resolve({ workspaceId: 'ws1', credentialId: c.id, nodeType: 'x.y' })).rejects.toBeInstanceOf(
      CredentialBrokenError,
    );
    expect((await vault.get('ws1', c.id))?.statusReason).toBe('invalid_grant');
    await vault.update('ws1', c.id, { name: 'renamed' });
    expect((await vault.get('ws1', c.id))?.status).toBe('broken');
    await vault.updateData({ workspaceId: 'ws1', credentialId: c.id }, { a: 'yyyy' });
    expect((await vault.get('ws1', c.id))?.status).toBe('active');
  });

  it('checks required fields of known schemes and parses master keys with clear errors', async () => {
    const scheme = Auth.apiKey({ type: 'acme.key', displayName: 'Acme', in: 'header', name: 'X-Key' });
    const vault = new CredentialVault({
      store: new MemoryCredentialRecordStore(),
      masterKeys: [k1],
      schemes: [scheme],
    });
    await expect(vault.create({ workspaceId: 'w', type: 'acme.key', name: 'n', data: {} })).rejects.toThrow(
      'Credential of type acme.key needs field "apiKey" (API key)',
    );
    expect(() => parseMasterKeys('k1:abcd')).toThrow('Master key "k1" must be 32 bytes of base64 (got 3 bytes)');
    expect(parseMasterKeys(`a:${Buffer.from(k1.key).toString('base64')}`)[0]?.id).toBe('a');
    expect(() => parseMasterKeys('')).toThrow(/No master key/);
  });
});
