import { describe, expect, it } from 'vitest';
import { jsonFieldPath } from './render-json.js';

describe('jsonFieldPath', () => {
  it.each([
    [['total'], '$json.total'],
    [['customer', 'email'], '$json.customer.email'],
    [['lines', 0, 'sku'], '$json.lines[0].sku'],
    [['a b'], '$json["a b"]'],
    [['order-id', 'x"y'], '$json["order-id"]["x\\"y"]'],
    [['1st'], '$json["1st"]'],
    [['$ref', '_id'], '$json.$ref._id'],
  ] as const)('%j -> %s', (segments, path) => {
    expect(jsonFieldPath(segments)).toBe(path);
  });
});
