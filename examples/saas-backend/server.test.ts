import type { AddressInfo } from 'node:net';
import { verifyEmbedToken } from '@weft/embed/server';
import { expect, it } from 'vitest';
// @ts-expect-error the example is plain JavaScript
import { createBackend } from './server.mjs';

it('mints tokens the Weft host can verify against the published JWKS', async () => {
  const app = await createBackend({ issuer: 'http://backend.test', weftHost: 'http://weft.test' });
  const server = app.listen(0);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    expect((await fetch(`${base}/api/weft-token`, { method: 'POST' })).status).toBe(401);
    const token = await (
      await fetch(`${base}/api/weft-token`, {
        method: 'POST',
        headers: { 'x-demo-user': 'u1', 'x-demo-account': 'acme' },
      })
    ).text();
    const jwks = await (await fetch(`${base}/.well-known/jwks.json`)).json();
    const claims = await verifyEmbedToken(token, {
      keys: jwks,
      issuer: 'http://backend.test',
      audience: 'http://weft.test',
    });
    expect(claims).toMatchObject({ externalUserId: 'u1', externalWorkspaceId: 'acme', role: 'editor' });
  } finally {
    server.close();
  }
});
