import { describe, expect, it } from 'vitest';
import { fromExpression, toExpression } from './expression-mode.js';

describe('expression mode', () => {
  it('keeps text when switching to an expression and literals when switching back', () => {
    expect(toExpression('Hello')).toBe('Hello');
    expect(toExpression(undefined)).toBe('{{ $json }}');
    expect(toExpression(42)).toBe('{{ 42 }}');
    expect(fromExpression('{{ 42 }}')).toBe(42);
    expect(fromExpression('{{ "abc" }}')).toBe('abc');
    expect(fromExpression(toExpression(true))).toBe(true);
  });

  it('keeps what was typed when an expression is turned back into a fixed value', () => {
    expect(fromExpression('Hi {{ $json.name }}!')).toBe('Hi $json.name!');
    expect(fromExpression('{{ $json.total * 2 }}')).toBe('$json.total * 2');
    expect(fromExpression('plain')).toBe('plain');
  });
});
