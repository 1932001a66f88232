import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.js';

describe('LruCache', () => {
  it('evicts the least recently used entry and reports it', () => {
    const evicted: string[] = [];
    const cache = new LruCache<string, number>(2, (key) => evicted.push(key));
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(evicted).toEqual(['b']);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.size]).toEqual([1, 3, 2]);
  });

  it('reports a replaced value and clears without reporting', () => {
    const evicted: Array<[string, number]> = [];
    const cache = new LruCache<string, number>(3, (key, value) => evicted.push([key, value]));
    cache.set('a', 1);
    cache.set('a', 2);
    expect(evicted).toEqual([['a', 1]]);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(evicted).toHaveLength(1);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new LruCache(0)).toThrow('LruCache: capacity must be a positive integer, got 0');
  });
});
