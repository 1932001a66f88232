import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decrypt, plaintextSize, SEGMENT_SIZE, startEncryption, staticBlobKeys } from './blob-encryption.js';

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(gen: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of gen) parts.push(c);
  return Buffer.concat(parts);
}

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

describe('blob encryption', () => {
  it.each([0, 1, SEGMENT_SIZE - 1, SEGMENT_SIZE, SEGMENT_SIZE + 1, 3 * SEGMENT_SIZE, 200_001])(
    'round-trips %i bytes in odd chunks, and knows the plaintext size from the ciphertext size',
    async (size) => {
      const plain = randomBytes(size);
      const keys = staticBlobKeys([k1]);
      const { header, encrypt } = await startEncryption(keys);
      const sealed = await collect(encrypt(chunks(plain, 7777)));
      expect(sealed.includes(plain.subarray(0, 64)) && size >= 64).toBe(false);
      expect(plaintextSize(sealed.length)).toBe(size);
      expect(await collect(decrypt(keys, header, chunks(sealed, 5000)))).toEqual(plain);
    },
  );

  it('reads blobs of a rotated-out key while writing with the new one, and names a key it lacks', async () => {
    const old = await startEncryption(staticBlobKeys([k1]));
    const sealed = await collect(old.encrypt(chunks(Buffer.from('kept since 2025'), 4)));
    const rotated = staticBlobKeys([k2, k1]);
    expect(old.header.keyId).toBe('k1');
    expect((await startEncryption(rotated)).header.keyId).toBe('k2');
    expect((await collect(decrypt(rotated, old.header, chunks(sealed, 3)))).toString()).toBe('kept since 2025');
    await expect(collect(decrypt(staticBlobKeys([k2]), old.header, chunks(sealed, 3)))).rejects.toThrow(
      'Blob was encrypted with key "k1", which the key provider does not have',
    );
  });

  it('refuses altered, reordered and cut-off ciphertext', async () => {
    const keys = staticBlobKeys([k1]);
    const { header, encrypt } = await startEncryption(keys);
    const sealed = await collect(encrypt(chunks(randomBytes(3 * SEGMENT_SIZE), 10_000)));
    const flipped = Buffer.from(sealed);
    flipped[100] = (flipped[100] as number) ^ 1;
    await expect(collect(decrypt(keys, header, chunks(flipped, 9000)))).rejects.toThrow(/segment 0/);
    const seg = SEGMENT_SIZE + 16;
    const swapped = Buffer.concat([sealed.subarray(seg, 2 * seg), sealed.subarray(0, seg), sealed.subarray(2 * seg)]);
    await expect(collect(decrypt(keys, header, chunks(swapped, 9000)))).rejects.toThrow(/segment 0/);
    await expect(collect(decrypt(keys, header, chunks(sealed.subarray(0, 2 * seg), 9000)))).rejects.toThrow(
      /segment 1: altered, reordered or cut off/,
    );
  });

  it('wants 32-byte keys', () => {
    expect(() => staticBlobKeys([{ id: 'short', key: randomBytes(16) }])).toThrow(
      'Blob key "short" must be 32 bytes, got 16',
    );
    expect(() => staticBlobKeys([])).toThrow(/at least one key/);
  });
});
