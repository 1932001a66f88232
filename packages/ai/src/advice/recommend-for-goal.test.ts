import { describe, expect, it } from 'vitest';
import { hostCatalogue } from '../catalogue.test-support.js';
import { recommendForGoal } from './recommend-for-goal.js';

describe('recommendForGoal', () => {
  it('ranks connectors for a goal, the apps it names first, with reasons', () => {
    const recs = recommendForGoal('when a Stripe payment fails, post a message on Slack', hostCatalogue);
    const types = recs.map((r) => r.type);
    expect(types.slice(0, 5).every((t) => t.startsWith('stripe.') || t.startsWith('slack.'))).toBe(true);
    expect(types.slice(0, 2)).toEqual(['stripe.event', 'slack.sendMessage']);
    expect(recs[0]).toMatchObject({ trigger: true, score: 1 });
    const slack = recs.find((r) => r.type === 'slack.sendMessage');
    expect(slack).toMatchObject({ trigger: false, category: 'Slack' });
    expect(slack?.reason).toMatch(/^the goal names Slack; matches ".*messag/);
  });

  it('suggests by meaning when no app is named, and nothing for words it does not know', () => {
    expect(recommendForGoal('append a row to a spreadsheet', hostCatalogue)[0]?.type).toBe('googleSheets.appendRow');
    expect(recommendForGoal('zzqx qqzz', hostCatalogue)).toEqual([]);
  });
});
