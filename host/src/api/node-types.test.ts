import { describe, expect, it } from 'vitest';
import { startTestHost } from '../testing/test-host.js';

describe('node types and web app headers', () => {
  it('lists built-in and connector node types for signed-in users; pages may run WebAssembly', async () => {
    const t = await startTestHost();
    try {
      expect((await t.call('GET', '/api/v1/node-types')).status).toBe(401);
      const token = await t.login('owner@example.com', 'owner-password');
      const res = await t.call('GET', '/api/v1/node-types', { token });
      expect(res.status).toBe(200);
      const types = (res.body.items as { type: string }[]).map((i) => i.type);
      expect(types).toEqual(expect.arrayContaining(['weft.if', 'weft.code', 'weft.loop']));
      expect(types.some((type) => !type.startsWith('weft.'))).toBe(true);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    } finally {
      await t.close();
    }
  });
});
