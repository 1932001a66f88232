import { describe, expect, it } from 'vitest';
import { BlobUrlSigner } from './blob-url-signer.js';

const secret = 'a-secret-that-is-at-least-32-bytes-long';

describe('BlobUrlSigner', () => {
  it('grants exactly the signed method, bucket and key until the expiry second', async () => {
    let now = 1_700_000_000_000;
    const signer = new BlobUrlSigner({ baseUrl: 'https://weft.example.com/blobs/', secret, now: () => now });
    const url = await signer.sign('user-uploads', 'ws 1/ü/a.png', { method: 'GET', expiresIn: 60 });
    expect(url).toMatch(
      /^https:\/\/weft\.example\.com\/blobs\/user-uploads\/ws%201\/%C3%BC\/a\.png\?method=GET&expires=1700000060&sig=/,
    );
    expect(await signer.verify(url, 'GET')).toEqual({
      bucket: 'user-uploads',
      key: 'ws 1/ü/a.png',
      method: 'GET',
      expires: 1_700_000_060,
    });
    expect(await signer.verify(url, 'HEAD')).toMatchObject({ key: 'ws 1/ü/a.png' });
    expect(await signer.verify(url, 'PUT')).toEqual({ status: 403, reason: 'blob URL was signed for GET, not PUT' });
    expect(await signer.verify(url.replace('method=GET', 'method=PUT'), 'PUT')).toMatchObject({ status: 403 });
    expect(await signer.verify(url.replace('a.png', 'b.png'), 'GET')).toMatchObject({ status: 403 });
    expect(await signer.verify(url.replace('expires=1700000060', 'expires=1800000060'), 'GET')).toMatchObject({
      status: 403,
    });
    now += 60_000;
    expect(await signer.verify(url, 'GET')).toEqual({ status: 403, reason: 'blob URL has expired' });
  });

  it('refuses URLs signed with another secret, malformed URLs and bad options', async () => {
    const signer = new BlobUrlSigner({ baseUrl: 'http://h/blobs', secret });
    const other = new BlobUrlSigner({ baseUrl: 'http://h/blobs', secret: `${secret}-other` });
    const url = await other.sign('b', 'k', { method: 'PUT', expiresIn: 5 });
    expect(await signer.verify(url, 'PUT')).toMatchObject({ status: 403, reason: 'blob URL signature does not match' });
    expect(await signer.verify('http://h/elsewhere/b/k', 'GET')).toMatchObject({ status: 400 });
    expect(await signer.verify('http://h/blobs/b?method=GET&expires=1&sig=x', 'GET')).toMatchObject({ status: 400 });
    expect(() => new BlobUrlSigner({ baseUrl: 'http://h', secret: 'short' })).toThrow(/32 bytes/);
    await expect(signer.sign('b', 'k', { method: 'GET', expiresIn: 604_801 })).rejects.toThrow(/expiresIn/);
  });
});
