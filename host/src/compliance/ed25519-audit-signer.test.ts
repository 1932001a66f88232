import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ed25519AuditSigner, loadAuditSigner } from './ed25519-audit-signer.js';

describe('audit checkpoint key', () => {
  it('is generated once into the data directory (0600) and read back on the next start', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'weft-audit-key-')), 'data');
    const first = loadAuditSigner(dir, {});
    expect(statSync(join(dir, 'audit-signing.key')).mode & 0o777).toBe(0o600);
    const again = loadAuditSigner(dir, {});
    expect(again.keyId).toBe(first.keyId);
    const payload = new TextEncoder().encode('head');
    expect(await again.verify(payload, await first.sign(payload), first.keyId)).toBe(true);
    expect(await again.verify(new TextEncoder().encode('other'), await first.sign(payload), first.keyId)).toBe(false);
  });

  it('comes from WEFT_AUDIT_SIGNING_KEY when set, and must be Ed25519', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-audit-key-'));
    const pem = Ed25519AuditSigner.generate().toPem();
    expect(loadAuditSigner(dir, { WEFT_AUDIT_SIGNING_KEY: pem.replace(/\n/g, '\\n') }).keyId).toBe(
      Ed25519AuditSigner.fromPem(pem).keyId,
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(() => Ed25519AuditSigner.fromPem(rsa as string)).toThrow(/Ed25519/);
  });
});
