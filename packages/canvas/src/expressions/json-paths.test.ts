import { describe, expect, it } from 'vitest';
import { sampleItems } from '../../demo/fixtures.js';
import { completePath, jsonPaths } from './json-paths.js';

describe('jsonPaths', () => {
  it('lists nested paths with types and samples, arrays through their first element', () => {
    const paths = jsonPaths(sampleItems);
    expect(paths.map((p) => p.path)).toEqual([
      '$json.id',
      '$json.total',
      '$json.customer',
      '$json.customer.name',
      '$json.customer.email',
      '$json.tags',
      '$json.tags[0]',
    ]);
    expect(paths.find((p) => p.path === '$json.customer.email')).toEqual({
      path: '$json.customer.email',
      type: 'string',
      sample: '"ada@example.com"',
    });
  });

  it('quotes keys that are not identifiers', () => {
    expect(jsonPaths([{ json: { 'first name': 'Ada' } }])[0]?.path).toBe('$json["first name"]');
  });
});

describe('completePath', () => {
  const suggestions = jsonPaths(sampleItems);
  it('completes the $json token before the cursor inside {{ }}', () => {
    const text = 'Hi {{ $json.cu';
    const result = completePath(text, text.length, suggestions)!;
    expect(result.from).toBe(6);
    expect(result.options.map((o) => o.path)).toEqual([
      '$json.customer',
      '$json.customer.name',
      '$json.customer.email',
    ]);
  });

  it('offers nothing outside an expression', () => {
    expect(completePath('$json.cu', 8, suggestions)).toBeNull();
    expect(completePath('{{ $json.id }} $json', 20, suggestions)).toBeNull();
  });
});
