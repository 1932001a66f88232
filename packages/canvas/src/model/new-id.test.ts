import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId } from './new-id.js';

describe('newId', () => {
  afterEach(() => vi.restoreAllMocks());

  it('returns distinct v4 UUIDs, also without crypto.randomUUID (insecure contexts)', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newId()).toMatch(uuid);
    vi.spyOn(crypto, 'randomUUID', 'get').mockReturnValue(undefined as never);
    const ids = new Set(Array.from({ length: 100 }, () => newId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(uuid);
  });
});
