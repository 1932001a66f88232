import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MarketplaceError } from './marketplace-error.js';
import { RemoteCatalogue } from './remote-catalogue.js';

describe('RemoteCatalogue', () => {
  let server: Server;
  let base: string;
  const seen: Array<{ url: string; ifNoneMatch: string | undefined; status: number }> = [];
  let version = 1;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const etag = `"v${version}"`;
      let status = 200;
      if (req.url?.startsWith('/api/v1/marketplace/catalogue/missing')) status = 404;
      else if (req.url?.startsWith('/api/v1/marketplace/catalogue/broken')) status = 500;
      else if (req.headers['if-none-match'] === etag) status = 304;
      seen.push({ url: req.url ?? '', ifNoneMatch: req.headers['if-none-match'], status });
      res.writeHead(status, { 'content-type': 'application/json', etag });
      res.end(
        status === 200
          ? JSON.stringify({ templates: [], total: version, facets: {} })
          : status === 304
            ? undefined
            : '{}',
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('revalidates with If-None-Match and reuses the body on 304', async () => {
    const central = new RemoteCatalogue({ baseUrl: base });
    expect((await central.search({ text: 'slack', limit: 5 })).total).toBe(1);
    expect((await central.search({ text: 'slack', limit: 5 })).total).toBe(1);
    version = 2;
    expect((await central.search({ text: 'slack', limit: 5 })).total).toBe(2);
    expect(seen.map((s) => [s.url, s.ifNoneMatch, s.status])).toEqual([
      ['/api/v1/marketplace/catalogue?text=slack&limit=5', undefined, 200],
      ['/api/v1/marketplace/catalogue?text=slack&limit=5', '"v1"', 304],
      ['/api/v1/marketplace/catalogue?text=slack&limit=5', '"v1"', 200],
    ]);
  });

  it('answers undefined for an unknown template and names a failing or absent central host', async () => {
    const central = new RemoteCatalogue({ baseUrl: base });
    expect(await central.template('missing')).toBeUndefined();
    await expect(central.template('broken')).rejects.toThrow(/answered HTTP 500/);
    const gone = new RemoteCatalogue({ baseUrl: 'http://127.0.0.1:9' });
    const e = await gone.search().catch((err: unknown) => err);
    expect(e).toBeInstanceOf(MarketplaceError);
    expect((e as MarketplaceError).message).toMatch(/did not answer/);
  });
});
