import { readFileSync } from 'node:fs';
import { validateWorkflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { catalogueSource } from '../catalogue/catalogue-entry.js';
import { hostCatalogue } from '../catalogue.test-support.js';
import { planOffline } from './offline-planner.js';

const source = catalogueSource(hostCatalogue);
const plan = (prompt: string) => {
  const r = planOffline(prompt, hostCatalogue);
  expect(validateWorkflow(r.workflow, source).problems).toEqual([]);
  return r;
};
const edges = (r: ReturnType<typeof plan>) => {
  const type = new Map(r.workflow.nodes.map((n) => [n.id, n.type]));
  return r.workflow.connections.map(
    (c) => `${type.get(c.source)}:${c.sourcePort ?? 'main'}->${type.get(c.target)}:${c.targetPort ?? 'main'}`,
  );
};

describe('planOffline', () => {
  it('reads a Stripe trigger, a Slack channel and quoted text', () => {
    const r = plan('When a Stripe payment succeeds, post "Payment received" to #sales on Slack');
    expect(r.workflow.nodes.map((n) => [n.type, n.parameters])).toEqual([
      ['stripe.event', { types: 'payment_intent.succeeded' }],
      ['slack.sendMessage', { channel: '#sales', text: 'Payment received' }],
    ]);
    expect(r.unresolved).toEqual([]);
    expect(r.confidence).toBeGreaterThan(0.8);
    expect(r.source).toBe('offline');
  });

  it('goes by the app a step names, not by words of a channel name', () => {
    const r = plan('Every Monday at 9, post "Standup" to #team on Slack');
    expect(r.workflow.nodes.map((n) => n.type)).toEqual(['weft.schedule', 'slack.sendMessage']);
    expect(r.workflow.nodes[1]?.parameters).toEqual({ channel: '#team', text: 'Standup' });
  });

  it('turns "every Monday at 9" into a cron schedule and reads URLs and e-mail addresses', () => {
    const r = plan('Every Monday at 9, fetch https://api.example.com/report and email it to boss@acme.com');
    expect(r.workflow.nodes.map((n) => n.type)).toEqual(['weft.schedule', 'http.request', 'email.sendEmail']);
    expect(r.workflow.nodes[0]?.parameters).toEqual({ mode: 'cron', cron: '0 9 * * 1' });
    expect(r.workflow.nodes[1]?.parameters).toMatchObject({ url: 'https://api.example.com/report' });
    expect(r.workflow.nodes[2]?.parameters).toMatchObject({ to: 'boss@acme.com' });
    expect(r.unresolved).toEqual([expect.objectContaining({ nodeId: r.workflow.nodes[2]?.id, parameter: 'subject' })]);
    expect(r.explanation).toContain('cron: 0 9 * * 1');
  });

  it('builds If branches from "if … otherwise …" with a parsed condition', () => {
    const r = plan(
      'When a webhook is called at /orders, if the amount is over 100 send a Slack message to #big-orders, otherwise append a row to Google Sheets',
    );
    expect(edges(r)).toEqual([
      'weft.webhook:main->weft.if:main',
      'weft.if:true->slack.sendMessage:main',
      'weft.if:false->googleSheets.appendRow:main',
    ]);
    expect(r.workflow.nodes[0]?.parameters).toEqual({ path: 'orders' });
    expect(r.workflow.nodes[1]?.parameters).toEqual({
      conditions: [{ left: '{{ $json.amount }}', operator: 'gt', right: '100' }],
    });
  });

  it('closes a "for each" loop through its continue input and goes on from done', () => {
    const r = plan(
      'Every day at 6pm read rows from the sheet, for each row call https://api.x.com/sync, when done post to Discord',
    );
    expect(edges(r)).toEqual([
      'weft.schedule:main->googleSheets.readRows:main',
      'googleSheets.readRows:main->weft.loop:main',
      'weft.loop:loop->http.request:main',
      'http.request:main->weft.loop:continue',
      'weft.loop:done->discord.sendMessage:main',
    ]);
    expect(r.workflow.nodes[0]?.parameters).toEqual({ mode: 'cron', cron: '0 18 * * *' });
  });

  it('routes approved and rejected items from "ask a manager to approve"', () => {
    const r = plan(
      'When a webhook is called, ask a manager to approve the refund, if approved create a Stripe customer, if rejected send a Slack message to #refunds',
    );
    expect(edges(r)).toEqual([
      'weft.webhook:main->weft.approval:main',
      'weft.approval:approved->stripe.createCustomer:main',
      'weft.approval:rejected->slack.sendMessage:main',
    ]);
  });

  it('says what it could not match instead of guessing, and still returns a valid workflow', () => {
    const r = plan('When the moon is full, teleport the cat to Mars');
    expect(r.workflow.nodes.map((n) => n.type)).toEqual(['weft.manualTrigger']);
    expect(r.unresolved.map((u) => u.reason)).toEqual([
      'no trigger in the catalogue matches; the workflow starts manually',
      'no node type in the catalogue matches this step',
    ]);
    expect(r.unresolved[1]?.text).toBe('teleport the cat to Mars');
    expect(r.confidence).toBeLessThan(0.8);
    expect(r.explanation).toContain('Not resolved: "teleport the cat to Mars"');
  });

  it('fills required values it cannot find with the incoming field and lists them', () => {
    const r = plan('Append a row to Google Sheets');
    const node = r.workflow.nodes[1];
    expect(node?.parameters).toMatchObject({ spreadsheetId: '{{ $json.spreadsheetId }}', sheet: '{{ $json.sheet }}' });
    expect(r.unresolved.map((u) => [u.nodeId, u.parameter])).toEqual([
      [node?.id, 'spreadsheetId'],
      [node?.id, 'sheet'],
    ]);
  });

  it('plans only with the catalogue it is given', () => {
    const small = hostCatalogue.filter((e) => e.type.startsWith('weft.'));
    const r = planOffline('When a Stripe payment succeeds, post to Slack', small);
    expect(validateWorkflow(r.workflow, catalogueSource(small)).valid).toBe(true);
    expect(r.workflow.nodes.every((n) => n.type.startsWith('weft.'))).toBe(true);
    expect(r.unresolved.length).toBeGreaterThan(0);
  });

  it('returns a valid workflow for every prompt of the benchmark set', () => {
    const cases = JSON.parse(readFileSync(new URL('../../bench/prompts.json', import.meta.url), 'utf8')) as {
      prompt: string;
    }[];
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const c of cases) plan(c.prompt);
  });

  it('reports draft events as it builds', () => {
    const events: string[] = [];
    planOffline('Fetch https://example.com and post to Discord', hostCatalogue, (e) => events.push(e.type));
    expect(events).toEqual(['node-added', 'node-added', 'connected', 'node-added', 'connected']);
  });
});
