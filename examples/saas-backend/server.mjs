// The embedding product's backend. It knows who the signed-in user is (here: a header, in real
// life your session) and mints a short-lived token the Weft host verifies against this JWKS.
//
//   WEFT_HOST=https://weft.example.com node server.mjs

import { mintEmbedToken } from '@weft/embed/server';
import express from 'express';
import { exportJWK, generateKeyPair } from 'jose';

/** Builds the app; keys are generated at start (persist them in production and rotate by kid). */
export async function createBackend({ issuer, weftHost }) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = `key-${new Date().toISOString().slice(0, 10)}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const app = express();
  app.get('/.well-known/jwks.json', (_req, res) => res.json({ keys: [jwk] }));
  app.post('/api/weft-token', async (req, res) => {
    const user = req.header('x-demo-user');
    const workspace = req.header('x-demo-account');
    if (!user || !workspace) return res.status(401).json({ error: 'sign in first' });
    const token = await mintEmbedToken(
      { externalUserId: user, externalWorkspaceId: workspace, role: 'editor', connectors: ['slack', 'github', 'http'] },
      { privateKey, kid, alg: 'ES256', issuer, audience: weftHost, ttlSeconds: 600 },
    );
    res.type('text/plain').send(token);
  });
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 4000);
  const app = await createBackend({
    issuer: `http://localhost:${port}`,
    weftHost: process.env.WEFT_HOST ?? 'http://localhost:3000',
  });
  app.listen(port, () => console.log(`SaaS backend on http://localhost:${port} (JWKS at /.well-known/jwks.json)`));
}
