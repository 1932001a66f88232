import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { type AuditEntry, MemoryAuditStore } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { canonicalEntry } from './audit-hash.js';
import { AuditLog } from './audit-log.js';
import type { AuditSigner } from './audit-signer.js';
import { summariseChanges } from './summarise-changes.js';

function ed25519(): AuditSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    keyId: 'k1',
    sign: async (p) => sign(null, p, privateKey).toString('base64'),
    verify: async (p, s, id) => id === 'k1' && verify(null, p, publicKey, Buffer.from(s, 'base64')),
  };
}

const entry = (i: number, workspaceId = 'ws_1'): AuditEntry => ({
  workspaceId,
  actor: { type: 'user', id: `usr_${i % 3}` },
  action: i % 2 ? 'workflow.update' : 'credential.create',
  resource: { type: i % 2 ? 'workflow' : 'credential', id: `r_${i}` },
  outcome: i % 5 === 0 ? 'denied' : 'success',
  at: 1_700_000_000_000 + i,
  ip: '203.0.113.7',
  userAgent: 'vitest',
  requestId: `req_${i}`,
  changes: { fields: ['name'] },
});

async function filled(n: number, checkpointEvery = 4) {
  const store = new MemoryAuditStore();
  const log = new AuditLog({ store, signer: ed25519(), checkpointEvery });
  for (let i = 1; i <= n; i++) await log.append(entry(i));
  return { store, log };
}

describe('AuditLog', () => {
  it('chains entries per workspace and verifies every link and checkpoint', async () => {
    const { store, log } = await filled(10);
    await log.append(entry(1, 'ws_2'));
    const v = await log.verify('ws_1');
    expect(v).toMatchObject({ ok: true, entries: 10, checkpoints: 2 });
    expect(store.rows[1]?.prevHash).toBe(store.rows[0]?.hash);
    expect((await log.verify('ws_2')).entries).toBe(1);
  });

  it('serialises concurrent appends so the chain never forks', async () => {
    const store = new MemoryAuditStore();
    const log = new AuditLog({ store });
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(entry(i + 1))));
    expect(store.rows.map((r) => r.position)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((await log.verify('ws_1')).ok).toBe(true);
  });

  it('does not call the chain truncated when an entry lands while verify walks it', async () => {
    const { store, log } = await filled(6);
    const walk = store.walk.bind(store);
    let landed = false;
    store.walk = async (workspaceId: string, afterSeq: number, limit: number) => {
      const page = await walk(workspaceId, afterSeq, limit);
      if (!landed) {
        landed = true;
        await log.append(entry(7));
      }
      return page;
    };
    expect(await log.verify('ws_1')).toMatchObject({ ok: true, entries: 7, head: { position: 7 } });
  });

  it('names an edited entry', async () => {
    const { store, log } = await filled(8);
    store.rows[4] = { ...(store.rows[4] as (typeof store.rows)[0]), outcome: 'success', action: 'workflow.delete' };
    expect((await log.verify('ws_1')).broken).toMatchObject({ seq: 5, position: 5, reason: 'edited' });
  });

  it('names a deleted entry', async () => {
    const { store, log } = await filled(8);
    store.rows.splice(2, 1);
    expect((await log.verify('ws_1')).broken).toMatchObject({ seq: null, position: 3, reason: 'missing' });
  });

  it('names the first of two swapped entries', async () => {
    const { store, log } = await filled(8);
    const [a, b] = [store.rows[5], store.rows[6]] as [(typeof store.rows)[0], (typeof store.rows)[0]];
    store.rows[5] = { ...b, seq: a.seq };
    store.rows[6] = { ...a, seq: b.seq };
    expect((await log.verify('ws_1')).broken).toMatchObject({ seq: 6, position: 7, reason: 'out-of-order' });
  });

  it('catches deleted newest entries through the signed checkpoint', async () => {
    const { store, log } = await filled(8);
    store.rows.splice(5, 3);
    const v = await log.verify('ws_1');
    expect(v.broken).toMatchObject({ position: 6, reason: 'truncated' });
  });

  it('refuses a checkpoint whose signature does not match', async () => {
    const store = new MemoryAuditStore();
    const log = new AuditLog({ store, signer: ed25519(), checkpointEvery: 2 });
    for (let i = 1; i <= 2; i++) await log.append(entry(i));
    const forged = new AuditLog({ store, signer: ed25519(), checkpointEvery: 2 });
    expect((await forged.verify('ws_1')).broken).toMatchObject({ position: 2, reason: 'checkpoint-signature' });
  });

  it('filters the list by actor, action prefix, outcome and time, newest first with a cursor', async () => {
    const { log } = await filled(10);
    const page = await log.list({ workspaceId: 'ws_1', action: 'workflow.', limit: 2 });
    expect(page.map((r) => r.position)).toEqual([9, 7]);
    const next = await log.list({ workspaceId: 'ws_1', action: 'workflow.', limit: 10, before: page[1]?.seq });
    expect(next.map((r) => r.position)).toEqual([5, 3, 1]);
    expect((await log.list({ workspaceId: 'ws_1', outcome: 'denied', limit: 10 })).map((r) => r.position)).toEqual([
      10, 5,
    ]);
    const timed = await log.list({
      workspaceId: 'ws_1',
      actorId: 'usr_1',
      from: 1_700_000_000_002,
      to: 1_700_000_000_010,
      limit: 10,
    });
    expect(timed.map((r) => r.position)).toEqual([7, 4]);
  });

  it('stores request text RFC 8785 cannot hash: lone surrogates and NUL become U+FFFD, and the chain verifies', async () => {
    const store = new MemoryAuditStore();
    const log = new AuditLog({ store, signer: ed25519(), checkpointEvery: 2 });
    const odd = {
      ...entry(1),
      userAgent: 'a\u0000b',
      changes: { fields: ['\ud800x', 'name'], name: '\udc00\u0000💥' },
    };
    const record = await log.append(odd);
    expect(record.userAgent).toBe('a\uFFFDb');
    expect(record.changes).toEqual({ fields: ['\uFFFDx', 'name'], name: '\uFFFD\uFFFD💥' });
    await log.append(entry(2));
    expect((await log.verify('ws_1')).ok).toBe(true);
  });

  it('hashes RFC 8785 canonical JSON: key order does not matter, values do', () => {
    const e = { ...entry(1), position: 1, prevHash: '' };
    const reordered = { ...e, changes: { b: 1, a: [1e21, 'é'] } };
    expect(canonicalEntry(reordered)).toContain('"changes":{"a":[1e+21,"é"],"b":1}');
  });

  it('summarises changes without values or secrets', () => {
    expect(summariseChanges({ name: 'x', password: 'p', role: 'admin', token: 't' }, ['role', 'token'])).toEqual({
      fields: ['name', 'password', 'role', 'token'],
      role: 'admin',
    });
    expect(summariseChanges([1])).toBeNull();
  });
});
