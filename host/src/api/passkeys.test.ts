import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pg = await serviceUrl('pg');

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const registration = (over: Record<string, unknown> = {}) => ({
  id: 'AAAA',
  rawId: 'AAAA',
  type: 'public-key',
  response: { clientDataJSON: b64('{"type":"webauthn.create"}'), attestationObject: b64('not cbor') },
  clientExtensionResults: {},
  ...over,
});
const assertion = (id = 'AAAA') => ({
  id,
  rawId: id,
  type: 'public-key',
  response: { clientDataJSON: b64('{}'), authenticatorData: b64('x'), signature: b64('y') },
  clientExtensionResults: {},
});

// The passkey routes' refusals: each bad request gets a 4xx naming what is wrong and where (the
// ceremonies themselves run in Chromium's virtual authenticator, e2e/web-passkeys.spec.ts).
describe.each(sqliteAndPostgres(pg))('passkey routes refuse bad input on %s', (_name, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let token: string;

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    t = await startTestHost({ ...o.env, WEFT_PUBLIC_URL: 'http://localhost:3999' });
    token = await t.login('owner@example.com', 'owner-password');
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)(
    'offers registration options for the relying party of the public URL, to a session only',
    async () => {
      expect((await t.call('POST', '/api/v1/auth/passkeys/registration-options')).status).toBe(401);
      const r = await t.call('POST', '/api/v1/auth/passkeys/registration-options', { token });
      expect(r.status).toBe(200);
      expect(r.body.challengeId).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.body.options).toMatchObject({
        rp: { id: 'localhost' },
        user: { name: 'owner@example.com' },
        attestation: 'none',
        authenticatorSelection: { residentKey: 'required' },
      });
      expect((await t.call('GET', '/api/v1/auth/passkeys', { token })).body).toEqual({ items: [] });
    },
  );

  it.skipIf(skip)('names a malformed registration response field', async () => {
    const { challengeId } = (await t.call('POST', '/api/v1/auth/passkeys/registration-options', { token })).body;
    const missing = await t.call('POST', '/api/v1/auth/passkeys', {
      token,
      body: { challengeId, name: 'Laptop', response: registration({ response: { clientDataJSON: b64('{}') } }) },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toContainEqual(
      expect.objectContaining({ in: 'body', path: '/response/response/attestationObject' }),
    );
    const type = await t.call('POST', '/api/v1/auth/passkeys', {
      token,
      body: { challengeId, name: 'Laptop', response: registration({ type: 'password' }) },
    });
    expect(type.status).toBe(400);
    expect(type.body.errors).toContainEqual(expect.objectContaining({ path: '/response/type' }));
  });

  it.skipIf(skip)('refuses a response that does not verify, and spends the challenge', async () => {
    const { challengeId } = (await t.call('POST', '/api/v1/auth/passkeys/registration-options', { token })).body;
    const bad = await t.call('POST', '/api/v1/auth/passkeys', {
      token,
      body: { challengeId, name: 'Laptop', response: registration() },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('passkey-invalid');
    expect(bad.body.errors).toEqual([expect.objectContaining({ in: 'body', path: '/response' })]);
    const again = await t.call('POST', '/api/v1/auth/passkeys', {
      token,
      body: { challengeId, name: 'Laptop', response: registration() },
    });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('passkey-challenge-unknown');
    expect(again.body.errors).toEqual([expect.objectContaining({ path: '/challengeId' })]);
  });

  it.skipIf(skip)('refuses a challenge of another kind or that never existed', async () => {
    const signIn = (await t.call('POST', '/api/v1/auth/passkeys/authentication-options')).body;
    expect(signIn.options).toMatchObject({ rpId: 'localhost', userVerification: 'preferred' });
    const swapped = await t.call('POST', '/api/v1/auth/passkeys', {
      token,
      body: { challengeId: signIn.challengeId, name: 'Laptop', response: registration() },
    });
    expect(swapped.body.code).toBe('passkey-challenge-unknown');
    const notAnId = await t.call('POST', '/api/v1/auth/passkeys', {
      token,
      body: { challengeId: 'nope', name: 'Laptop', response: registration() },
    });
    expect(notAnId.status).toBe(400);
    expect(notAnId.body.errors).toContainEqual(expect.objectContaining({ path: '/challengeId' }));
  });

  it.skipIf(skip)('passwordless sign-in refuses unknown challenges and passkeys', async () => {
    const unknown = await t.call('POST', '/api/v1/auth/passkeys/login', {
      body: { challengeId: '00000000-0000-4000-8000-000000000000', response: assertion() },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('passkey-challenge-unknown');
    const { challengeId } = (await t.call('POST', '/api/v1/auth/passkeys/authentication-options')).body;
    const stranger = await t.call('POST', '/api/v1/auth/passkeys/login', {
      body: { challengeId, response: assertion('c3RyYW5nZXI') },
    });
    expect(stranger.status).toBe(401);
    expect(stranger.body.code).toBe('passkey-unknown');
    const badField = await t.call('POST', '/api/v1/auth/passkeys/login', {
      body: { challengeId, response: { ...assertion(), id: 'has spaces' } },
    });
    expect(badField.status).toBe(400);
    expect(badField.body.errors).toContainEqual(expect.objectContaining({ path: '/response/id' }));
  });

  it.skipIf(skip)('removing a passkey that is not yours is a 404', async () => {
    const r = await t.call('DELETE', '/api/v1/auth/passkeys/c29tZW9uZS1lbHNl', { token });
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('passkey-not-found');
  });
});
