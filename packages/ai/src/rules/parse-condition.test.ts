import { describe, expect, it } from 'vitest';
import { parseCondition } from './parse-condition.js';

describe('parseCondition', () => {
  it.each([
    ['the amount is over 100', { left: '{{ $json.amount }}', operator: 'gt', right: '100' }],
    ['the order total is less than 5', { left: '{{ $json.total }}', operator: 'lt', right: '5' }],
    ['status is paid', { left: '{{ $json.status }}', operator: 'equals', right: 'paid' }],
    ["the subject contains 'urgent'", { left: '{{ $json.subject }}', operator: 'contains', right: 'urgent' }],
    ['the email is empty', { left: '{{ $json.email }}', operator: 'isEmpty' }],
    ['the due date is not empty', { left: '{{ $json.dueDate }}', operator: 'isNotEmpty' }],
  ])('%s', (text, row) => {
    expect(parseCondition(text)).toEqual(row);
  });

  it('gives up on words without a comparison', () => {
    expect(parseCondition('it looks important')).toBeUndefined();
  });
});
