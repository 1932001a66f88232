import { describe, expect, it } from 'vitest';
import { Redactor, redact } from './redactor.js';

describe('Redactor', () => {
  it('replaces every occurrence, longest secret first, in plain, URL-encoded and base64 forms', () => {
    const r = new Redactor(['abcd', 'abcdef', 'p@ss word']);
    expect(r.redact('x abcdef y abcd z abcdefabcd')).toBe('x [REDACTED] y [REDACTED] z [REDACTED][REDACTED]');
    expect(r.redact('q=p%40ss%20word')).toBe('q=[REDACTED]');
    expect(r.redact(`hdr ${Buffer.from('p@ss word').toString('base64')}`)).toBe('hdr [REDACTED]');
    expect(r.redact('abc')).toBe('abc');
  });

  it('walks objects, arrays and errors without changing the input, masking credential-named keys', () => {
    const input = { a: ['k3y-value'], nested: { password: 'anything', note: 'has k3y-value' }, n: 1, none: null };
    const out = redact(input, ['k3y-value']);
    expect(out).toEqual({
      a: ['[REDACTED]'],
      nested: { password: '[REDACTED]', note: 'has [REDACTED]' },
      n: 1,
      none: null,
    });
    expect(input.a[0]).toBe('k3y-value');
    const err = redact(new TypeError('failed with k3y-value'), ['k3y-value']);
    expect(err.message).toBe('failed with [REDACTED]');
    expect(err.stack).not.toContain('k3y-value');
  });

  it('ignores secrets shorter than 4 characters and handles cycles', () => {
    const r = new Redactor(['abc', 'long-secret']);
    expect(r.size).toBe(2); // plain and base64; the URL-encoded form is the same as the plain one
    const cyclic: Record<string, unknown> = { s: 'long-secret' };
    cyclic.self = cyclic;
    const out = r.redact(cyclic) as Record<string, unknown>;
    expect(out.s).toBe('[REDACTED]');
    expect(out.self).toBe(out);
  });

  it('returns the input itself when nothing needs redacting, and a copy otherwise', () => {
    const r = new Redactor(['tok-5150-abc']);
    const clean = { items: [{ json: { a: 'hello', n: [1, 2] } }], note: 'nothing here' };
    expect(r.redact(clean)).toBe(clean);
    expect(r.redact(clean, { keys: false })).toBe(clean);
    const err = new Error('plain failure');
    expect(r.redact(err)).toBe(err);
    const dirty = { keep: { a: 1 }, hit: 'Bearer tok-5150-abc' };
    const out = r.redact(dirty);
    expect(out).not.toBe(dirty);
    expect(out).toEqual({ keep: { a: 1 }, hit: 'Bearer [REDACTED]' });
    expect(dirty.hit).toBe('Bearer tok-5150-abc');
  });

  it('with keys: false masks only the known secret values, not every credential-named key', () => {
    const r = new Redactor(['tok-5150-abc']);
    const fetched = { access_token: 'a-token-the-workflow-fetched', password: 'given', echo: 'tok-5150-abc' };
    expect(r.redact(fetched, { keys: false })).toEqual({
      access_token: 'a-token-the-workflow-fetched',
      password: 'given',
      echo: '[REDACTED]',
    });
    expect(r.redact(fetched)).toEqual({ access_token: '[REDACTED]', password: '[REDACTED]', echo: '[REDACTED]' });
    const masked = { password: '[REDACTED]' };
    expect(r.redact(masked)).toBe(masked);
  });

  it('matches form-encoded and JSON-escaped forms', () => {
    const secret = 'p a"ss~word';
    const r = new Redactor([secret]);
    expect(r.redact(`?k=${new URLSearchParams({ k: secret }).toString().slice(2)}&x=1`)).toBe('?k=[REDACTED]&x=1');
    expect(r.redact(JSON.stringify({ msg: `login with ${secret}` }))).toBe('{"msg":"login with [REDACTED]"}');
  });

  it('finds every secret among many (hashed prefix filter), leftmost and longest first', () => {
    const secrets = Array.from({ length: 20_000 }, (_, i) => `secret-${i}-${'x'.repeat(20)}`);
    const r = new Redactor(secrets);
    expect(r.size).toBe(40_000);
    const text = `start ${'lorem ipsum '.repeat(500)} ${secrets[19_999]} mid ${secrets[7]}${secrets[123]} end`;
    expect(r.redact(text).endsWith(' [REDACTED] mid [REDACTED][REDACTED] end')).toBe(true);
    expect(r.redact(Buffer.from(secrets[42]!).toString('base64'))).toBe('[REDACTED]');
    const clean = `secret-20000-${'x'.repeat(20)} secret-1-${'x'.repeat(19)}`;
    expect(r.redact(clean)).toBe(clean);
    const longer = new Redactor([...secrets.slice(0, 20), 'abcd', 'abcdef']);
    expect(longer.redact('x abcdef y abcd z abcdefabcd')).toBe('x [REDACTED] y [REDACTED] z [REDACTED][REDACTED]');
  });
});
