import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { serviceUrl } from './service-url.js';

describe('serviceUrl', () => {
  it('skips with the reason when the variable is unset', async () => {
    const t = await serviceUrl('pg', {});
    expect(t.skip).toBe(true);
    expect(t.reason).toMatch(/WEFT_TEST_PG_URL is not set/);
    expect(t.title('pg store')).toMatch(/skipped: WEFT_TEST_PG_URL is not set/);
    expect(() => t.url()).toThrow(/WEFT_TEST_PG_URL/);
  });

  it('fails instead of skipping when services are required', async () => {
    const t = await serviceUrl('redis', { WEFT_REQUIRE_SERVICES: '1' });
    expect(t.skip).toBe(false);
    expect(() => t.url()).toThrow(/WEFT_REQUIRE_SERVICES=1/);
    const down = await serviceUrl('pg', {
      WEFT_REQUIRE_SERVICES: '1',
      WEFT_TEST_PG_URL: 'postgres://u:secret@127.0.0.1:1/x',
    });
    expect(down.skip).toBe(false);
    expect(() => down.url()).toThrow(/unreachable/);
    expect(down.reason).not.toMatch(/secret/);
  });

  it('returns the URL of a reachable server', async () => {
    const server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const url = `postgres://127.0.0.1:${port}/db`;
    const t = await serviceUrl('pg', { WEFT_TEST_PG_URL: url });
    server.close();
    expect(t).toMatchObject({ skip: false, reason: '' });
    expect(t.url()).toBe(url);
  });
});
