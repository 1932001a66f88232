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

  it('stays fast with many secrets', () => {
    const r = new Redactor(Array.from({ length: 20_000 }, (_, i) => `secret-${i}-${'x'.repeat(20)}`));
    const text = `start ${'lorem ipsum '.repeat(500)} secret-19999-${'x'.repeat(20)} end`;
    const t0 = performance.now();
    const out = r.redact(text);
    expect(out.endsWith(' [REDACTED] end')).toBe(true);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});
