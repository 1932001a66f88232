import { describe, expect, it } from 'vitest';
import { gdprResultText } from './gdpr-result.js';

describe('gdprResultText', () => {
  it('says what an export holds', () => {
    expect(
      gdprResultText({
        kind: 'export',
        status: 'completed',
        result: { executions: 3, auditEntries: 1, unsealedMentions: 0 },
      }),
    ).toBe('Exported 3 executions and 1 audit entry.');
    expect(
      gdprResultText({
        kind: 'export',
        status: 'completed',
        result: { executions: 1, auditEntries: 12, unsealedMentions: 2 },
      }),
    ).toBe(
      'Exported 1 execution and 12 audit entries; 2 other executions mention the subject in plain text (listed by id).',
    );
  });

  it('says what an erasure destroyed, deleted and left', () => {
    const erasure = (result: Record<string, unknown>) =>
      gdprResultText({ kind: 'erasure', status: 'completed', result });
    expect(
      erasure({
        requestId: 'gdpr_1',
        keyDestroyed: true,
        executionsShredded: 12,
        unsealedMentions: 0,
        unsealedDeleted: false,
        searchComplete: true,
        exportBundlesDeleted: 1,
      }),
    ).toBe('Erased: key destroyed, 12 executions made unreadable; 1 export bundle deleted.');
    expect(erasure({ keyDestroyed: false, executionsShredded: 0, unsealedMentions: 1, unsealedDeleted: false })).toBe(
      'Erased: nothing was sealed for this subject; 1 execution still mentions them in plain text (not deleted).',
    );
    expect(
      erasure({
        keyDestroyed: true,
        executionsShredded: 1,
        unsealedMentions: 2,
        unsealedDeleted: true,
        searchComplete: false,
      }),
    ).toBe(
      'Erased: key destroyed, 1 execution made unreadable; 2 executions mentioning them in plain text deleted. The plain-text search stopped early: older executions were not checked.',
    );
  });

  it('says why a request failed and when one is still running; never prints raw keys', () => {
    expect(gdprResultText({ kind: 'export', status: 'failed', result: { error: 'bucket unavailable' } })).toBe(
      'Failed: bucket unavailable.',
    );
    expect(gdprResultText({ kind: 'erasure', status: 'received', result: null })).toBe('In progress.');
    expect(
      gdprResultText({ kind: 'erasure', status: 'completed', result: { keyDestroyed: true, executionsShredded: 2 } }),
    ).not.toMatch(/keyDestroyed|requestId|:\s*(true|false)/);
  });
});
