import { describe, expect, it } from 'vitest';
import { defaults, isShown, setIn } from './parameter-form.js';

describe('parameter form helpers', () => {
  it('setIn replaces nested values without mutating, and removes keys set to undefined', () => {
    const root = { fields: [{ name: 'a', value: '1' }], keep: true };
    expect(setIn(root, ['fields', 0, 'name'], 'b')).toEqual({ fields: [{ name: 'b', value: '1' }], keep: true });
    expect(setIn(root, ['fields', 1], { name: 'c' })).toEqual({
      fields: [{ name: 'a', value: '1' }, { name: 'c' }],
      keep: true,
    });
    expect(setIn(root, ['keep'], undefined)).toEqual({ fields: [{ name: 'a', value: '1' }] });
    expect(root).toEqual({ fields: [{ name: 'a', value: '1' }], keep: true });
  });

  it('isShown follows displayOptions show and hide', () => {
    const body = { kind: 'json' as const, label: 'Body', displayOptions: { show: { method: ['POST'] } } };
    expect(isShown(body, { method: 'POST' })).toBe(true);
    expect(isShown(body, { method: 'GET' })).toBe(false);
    const hidden = { kind: 'string' as const, label: 'X', displayOptions: { hide: { mode: ['simple'] } } };
    expect(isShown(hidden, { mode: 'simple' })).toBe(false);
    expect(isShown(hidden, {})).toBe(true);
  });

  it('defaults copies default values for a new list row', () => {
    const d = defaults({
      name: { kind: 'string', label: 'Name', default: 'x' },
      tags: { kind: 'multiOptions', label: 'Tags', options: [], default: ['a'] },
      free: { kind: 'string', label: 'Free' },
    });
    expect(d).toEqual({ name: 'x', tags: ['a'] });
  });
});
