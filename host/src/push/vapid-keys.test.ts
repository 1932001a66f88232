import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import webPush from 'web-push';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { VAPID_FILE } from './vapid-keys.js';

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'weft-vapid-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ WEFT_DATA_DIR: dir(), ...env });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('VAPID keys in the host config', () => {
  it('generates a pair on first start, persists it (0600) and reuses it', () => {
    const d = dir();
    const first = loadConfig({ WEFT_DATA_DIR: d });
    expect(Buffer.from(first.vapid.publicKey, 'base64url')).toHaveLength(65);
    expect(Buffer.from(first.vapid.privateKey, 'base64url')).toHaveLength(32);
    expect(first.vapid.subject).toBe('mailto:admin@localhost');
    expect(first.warnings.join('\n')).toContain(VAPID_FILE);
    expect(statSync(join(d, VAPID_FILE)).mode & 0o777).toBe(0o600);
    const again = loadConfig({ WEFT_DATA_DIR: d });
    expect(again.vapid).toEqual(first.vapid);
    expect(JSON.parse(readFileSync(join(d, VAPID_FILE), 'utf8')).publicKey).toBe(first.vapid.publicKey);
  });

  it('takes the keys and subject from the settings', () => {
    const keys = webPush.generateVAPIDKeys();
    const c = loadConfig({
      WEFT_DATA_DIR: dir(),
      WEFT_VAPID_PUBLIC_KEY: keys.publicKey,
      WEFT_VAPID_PRIVATE_KEY: keys.privateKey,
      WEFT_VAPID_SUBJECT: 'https://ops.example.com/contact',
    });
    expect(c.vapid).toEqual({ ...keys, subject: 'https://ops.example.com/contact' });
    expect(loadConfig({ WEFT_DATA_DIR: dir(), WEFT_PUBLIC_URL: 'https://weft.example.com' }).vapid.subject).toBe(
      'https://weft.example.com',
    );
  });

  it('names each bad setting', () => {
    const keys = webPush.generateVAPIDKeys();
    expect(problems({ WEFT_VAPID_PUBLIC_KEY: keys.publicKey })).toContain(
      'WEFT_VAPID_PUBLIC_KEY and WEFT_VAPID_PRIVATE_KEY must be set together',
    );
    const bad = problems({
      WEFT_VAPID_PUBLIC_KEY: 'abc=',
      WEFT_VAPID_PRIVATE_KEY: 'AAAA',
      WEFT_VAPID_SUBJECT: 'ftp://x',
    });
    expect(bad.some((p) => p.startsWith('WEFT_VAPID_PUBLIC_KEY must be URL-safe base64'))).toBe(true);
    expect(bad.some((p) => p.startsWith('WEFT_VAPID_PRIVATE_KEY must decode to 32 bytes'))).toBe(true);
    expect(bad.some((p) => p.startsWith('WEFT_VAPID_SUBJECT must be a mailto: address'))).toBe(true);
  });

  it('reports a corrupt generated key file', () => {
    const d = dir();
    writeFileSync(join(d, VAPID_FILE), '{"publicKey":"short","privateKey":"x"}');
    expect(() => loadConfig({ WEFT_DATA_DIR: d })).toThrow(/vapid\.json: publicKey must decode to 65 bytes/);
  });
});
