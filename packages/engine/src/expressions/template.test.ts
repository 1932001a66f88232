import { describe, expect, it } from 'vitest';
import { checkTemplate } from './template.js';

describe('checkTemplate', () => {
  it('accepts expressions wrapped in parentheses', () => {
    expect(checkTemplate('{{ ($json.a + 1) }}')).toEqual([]);
    expect(checkTemplate('{{ ((a > 5) ? ("big") : ("small")) }}')).toEqual([]);
    expect(checkTemplate('{{ (a)(b) }}')).toEqual([]);
  });

  it('still reports text after a complete expression', () => {
    expect(checkTemplate('{{ (a) b }}')).toEqual([{ message: 'Unexpected "b" after the expression', offset: 6 }]);
    expect(checkTemplate('{{ (a)) }}')).toEqual([{ message: 'Unexpected ")" after the expression', offset: 6 }]);
  });
});
