import { describe, expect, it } from 'vitest';
import { matchRoute, safeNext, signInPath } from './router.js';

describe('sign-in deep links', () => {
  it('keeps same-origin paths with their query', () => {
    expect(safeNext('/executions/e1')).toBe('/executions/e1');
    expect(safeNext('/approvals/e%201?decide=approve')).toBe('/approvals/e%201?decide=approve');
    expect(safeNext('/workflows/w1#n')).toBe('/workflows/w1#n');
  });

  it('refuses open redirects and loops back to sign-in', () => {
    for (const bad of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
      'executions/e1',
      '/signin',
      '/signup?token=x',
      '/\nx',
      '',
      null,
    ]) {
      expect(safeNext(bad)).toBe('/workflows');
    }
  });

  it('puts the target in ?next= and leaves the default out', () => {
    expect(signInPath('/approvals/e1')).toBe('/signin?next=%2Fapprovals%2Fe1');
    expect(signInPath('/executions/e1?x=1')).toBe('/signin?next=%2Fexecutions%2Fe1%3Fx%3D1');
    expect(signInPath('/workflows')).toBe('/signin');
    expect(signInPath('//evil.example')).toBe('/signin');
  });

  it('routes /approvals/<id> to one approval', () => {
    expect(matchRoute('/approvals/e%201', '')).toMatchObject({ name: 'approval', params: { id: 'e 1' } });
  });
});
