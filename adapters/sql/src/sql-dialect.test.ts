import { describe, expect, it } from 'vitest';
import { decodeJson, encodeJson, jsonColumnText, unwrapJson } from './sql-dialect.js';

describe('JSON columns', () => {
  const tricky = [
    { text: 'a\u0000b', lone: 'x\ud800y', low: '\udc00', pair: '😀', '\u0000key': [1] },
    ['\\u0000 written as text, not a NUL'],
    { '$weft:json': '[1,2]' },
    { '$weft:json': '{"$weft:json":"1"}' },
    'plain',
    { nested: { deeper: ['\u0000'] } },
  ];

  it('give back every value exactly, whichever dialect reads them', () => {
    for (const value of tricky) {
      const text = encodeJson(value) as string;
      expect(decodeJson('sqlite', text)).toEqual(value);
      expect(decodeJson('postgres', JSON.parse(text))).toEqual(value);
    }
  });

  it('write no escape Postgres jsonb refuses (NUL, unpaired surrogates)', () => {
    for (const value of tricky) expect(encodeJson(value)).not.toMatch(/(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f])/i);
  });

  it('leave ordinary documents as they are', () => {
    expect(encodeJson({ a: 1, s: 'é😀' })).toBe('{"a":1,"s":"é😀"}');
    expect(jsonColumnText('[1]')).toBe('[1]');
    expect(encodeJson(undefined)).toBeNull();
    expect(unwrapJson({ '$weft:json': '1', other: 2 })).toEqual({ '$weft:json': '1', other: 2 });
  });
});
