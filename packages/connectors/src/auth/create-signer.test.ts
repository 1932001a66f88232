import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PreparedRequest } from '../http/http-types.js';
import { Auth } from './auth-scheme.js';
import { createSigner } from './create-signer.js';

const request = (): PreparedRequest => ({
  method: 'POST',
  url: new URL('https://api.example.com/x?a=1'),
  headers: new Headers(),
  bodyBytes: new TextEncoder().encode('{"a":1}'),
});
const cred = (type: string, data: Record<string, string>) => ({ id: 'c1', type, data });

describe('createSigner', () => {
  it('applies API keys in a header with a prefix, or in the query', async () => {
    const h = request();
    const header = Auth.apiKey({
      type: 'a.h',
      displayName: 'H',
      in: 'header',
      name: 'Authorization',
      prefix: 'Token ',
    });
    await createSigner(header, cred('a.h', { apiKey: 'k123' }), { workspaceId: 'w' }).sign(h);
    expect(h.headers.get('authorization')).toBe('Token k123');
    const q = request();
    const query = Auth.apiKey({ type: 'a.q', displayName: 'Q', in: 'query', name: 'api_key' });
    await createSigner(query, cred('a.q', { apiKey: 'k123' }), { workspaceId: 'w' }).sign(q);
    expect(q.url.searchParams.get('api_key')).toBe('k123');
    expect(q.url.searchParams.get('a')).toBe('1');
  });

  it('applies basic and bearer, naming a missing field', async () => {
    const r = request();
    await createSigner(Auth.basic({ type: 'b', displayName: 'B' }), cred('b', { username: 'u', password: 'p' }), {
      workspaceId: 'w',
    }).sign(r);
    expect(r.headers.get('authorization')).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    const signer = createSigner(Auth.bearer({ type: 't', displayName: 'T' }), cred('t', {}), { workspaceId: 'w' });
    expect(() => signer.sign(request())).toThrow(
      'Credential c1 (type t) has no "token"; edit the credential to set it',
    );
  });

  it('lets a custom scheme sign the body', async () => {
    const scheme = Auth.custom({
      type: 'acme.hmac',
      displayName: 'HMAC',
      fields: {},
      sign: (r, data) => {
        const sig = createHmac('sha256', String(data.secret))
          .update(r.bodyBytes ?? new Uint8Array())
          .digest('hex');
        r.headers.set('x-signature', sig);
      },
    });
    const r = request();
    await createSigner(scheme, cred('acme.hmac', { secret: 's' }), { workspaceId: 'w' }).sign(r);
    expect(r.headers.get('x-signature')).toBe(createHmac('sha256', 's').update('{"a":1}').digest('hex'));
  });

  it('refuses OAuth2 without a token manager', () => {
    const scheme = Auth.oauth2({
      type: 'o',
      displayName: 'O',
      grant: 'clientCredentials',
      tokenUrl: 'https://x/t',
      scopes: [],
    });
    expect(() => createSigner(scheme, cred('o', {}), { workspaceId: 'w' })).toThrow(/no OAuth2TokenManager/);
    expect(() =>
      Auth.oauth2({ type: 'o', displayName: 'O', grant: 'authorizationCode', tokenUrl: 'https://x/t', scopes: [] }),
    ).toThrow('Auth scheme "o": the authorizationCode grant needs an authorizationUrl');
  });
});
