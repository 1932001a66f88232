import { validateWorkflow, type Workflow } from '@weft/engine';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { catalogueSource } from '../catalogue/catalogue-entry.js';
import { hostCatalogue } from '../catalogue.test-support.js';
import { GenerationRefusedError } from '../model/model-planner.js';
import { OpenAiCompatibleProvider } from '../model/openai-compatible-provider.js';
import { OpenAiTestServer } from '../model/openai-test-server.test-support.js';
import { planOffline } from '../planner/offline-planner.js';
import { editWorkflow } from './edit-workflow.js';

const source = catalogueSource(hostCatalogue);
const valid = (w: Workflow) => expect(validateWorkflow(w, source).problems).toEqual([]);
const base = planOffline(
  'Every Monday at 9 fetch https://example.com/orders, wait 5 minutes, then if amount > 100 send an email to ops@example.com',
  hostCatalogue,
).workflow;
const id = (type: string, w: Workflow = base) => w.nodes.find((n) => n.type === type)?.id;

describe('editWorkflow offline', () => {
  it('starts from a workflow with a schedule, HTTP call, wait, If and e-mail', () => {
    expect(base.nodes.map((n) => n.type)).toEqual([
      'weft.schedule',
      'http.request',
      'weft.wait',
      'weft.if',
      'email.sendEmail',
    ]);
  });

  it('adds a Slack message after the IF on its free branch, keeping ids and positions', async () => {
    const events: string[] = [];
    const r = await editWorkflow(base, 'Add a Slack message saying "Small order" to #sales after the IF', {
      catalogue: hostCatalogue,
      onProgress: (e) => events.push(e.type),
    });
    valid(r.workflow);
    expect(r.diff.addedNodes).toEqual([
      expect.objectContaining({ type: 'slack.sendMessage', parameters: { channel: '#sales', text: 'Small order' } }),
    ]);
    const slack = r.diff.addedNodes[0]?.id;
    expect(r.diff.addedConnections).toEqual([{ source: id('weft.if'), target: slack, sourcePort: 'false' }]);
    expect(r.diff.removedNodes).toEqual([]);
    expect(events).toEqual(['node-added', 'connected']);
    for (const n of base.nodes) expect(r.workflow.nodes.find((x) => x.id === n.id)?.position).toEqual(n.position);
    expect(r.workflow.nodes.find((n) => n.id === slack)?.position).not.toEqual(
      r.workflow.nodes.find((n) => n.type === 'email.sendEmail')?.position,
    );
  });

  it('inserts between a node and its successor when the output is taken', async () => {
    const r = await editWorkflow(base, 'add a Slack message to #ops before the wait', { catalogue: hostCatalogue });
    valid(r.workflow);
    const slack = r.diff.addedNodes[0]?.id;
    expect(r.diff.removedConnections).toEqual([{ source: id('http.request'), target: id('weft.wait') }]);
    expect(r.diff.addedConnections).toEqual([
      { source: id('http.request'), target: slack },
      { source: slack, target: id('weft.wait') },
    ]);
  });

  it('removes the wait and joins its neighbours, and changes the schedule, in one request', async () => {
    const r = await editWorkflow(base, 'Remove the wait and change the schedule to every Friday at 8', {
      catalogue: hostCatalogue,
    });
    valid(r.workflow);
    expect(r.diff.removedNodes.map((n) => n.type)).toEqual(['weft.wait']);
    expect(r.diff.addedConnections).toEqual([{ source: id('http.request'), target: id('weft.if') }]);
    expect(r.diff.changedNodes).toEqual([expect.objectContaining({ id: id('weft.schedule'), parameters: ['cron'] })]);
    expect(r.workflow.nodes[0]?.parameters).toMatchObject({ mode: 'cron', cron: '0 8 * * 5' });
    expect(r.unresolved).toEqual([]);
    expect(r.explanation).toContain('Removed');
  });

  it('sets a named parameter and renames a node', async () => {
    const r = await editWorkflow(
      base,
      'set the url of the HTTP request to https://example.com/v2; rename the wait to "Cool down"',
      {
        catalogue: hostCatalogue,
      },
    );
    valid(r.workflow);
    expect(r.workflow.nodes.find((n) => n.type === 'http.request')?.parameters.url).toBe('https://example.com/v2');
    expect(r.workflow.nodes.find((n) => n.type === 'weft.wait')?.name).toBe('Cool down');
  });

  it('says what it could not do and leaves the workflow valid and unchanged', async () => {
    const r = await editWorkflow(base, 'remove the unicorn; add a Slack message on the maybe branch of the IF', {
      catalogue: hostCatalogue,
    });
    valid(r.workflow);
    expect(r.workflow.nodes).toEqual(base.nodes);
    expect(r.unresolved.map((u) => u.reason)).toEqual([
      'no node matches "the unicorn"',
      expect.stringContaining('has no "maybe" output'),
    ]);
    expect(r.diff.addedNodes).toEqual([]);
  });
});

describe('editWorkflow with a model', () => {
  let server: OpenAiTestServer;
  beforeAll(async () => {
    server = await new OpenAiTestServer().start();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    server.script.length = 0;
  });
  const provider = () => new OpenAiCompatibleProvider({ baseUrl: server.url, model: 'gpt-4o-mini', maxRetries: 0 });

  it('starts the model from the stored nodes, applies its tool calls and repairs what fails validation', async () => {
    const ifId = id('weft.if') as string;
    const emailId = id('email.sendEmail') as string;
    server.script.push(
      {
        toolCalls: [
          {
            name: 'add_node',
            args: { type: 'slack.sendMessage', name: 'Tell sales', parameters: { channel: '#sales' } },
          },
          { name: 'disconnect', args: { source: ifId, target: emailId, sourcePort: 'true' } },
          { name: 'connect', args: { source: ifId, target: 'Tell sales', sourcePort: 'true' } },
          { name: 'connect', args: { source: 'Tell sales', target: emailId } },
        ],
      },
      { toolCalls: [{ name: 'finish', args: { explanation: 'Slack before the e-mail' } }] },
      { toolCalls: [{ name: 'set_parameter', args: { node: 'Tell sales', name: 'text', value: 'Big order' } }] },
      { toolCalls: [{ name: 'finish', args: { explanation: 'Slack before the e-mail' } }] },
    );
    const r = await editWorkflow(base, 'add a Slack message after the IF', {
      catalogue: hostCatalogue,
      provider: provider(),
    });
    valid(r.workflow);
    expect(r.source).toBe('model');
    const first = server.requests[0]?.body.messages as { role: string; content: string }[];
    expect(first[1]?.content).toContain(`"id":"${ifId}"`);
    expect(String(server.requests[2]?.body.messages && JSON.stringify(server.requests[2].body.messages))).toContain(
      'does not validate',
    );
    const slack = r.diff.addedNodes[0]?.id;
    expect(r.diff.addedNodes.map((n) => n.parameters)).toEqual([{ channel: '#sales', text: 'Big order' }]);
    expect(r.diff.removedConnections).toEqual([{ source: ifId, target: emailId, sourcePort: 'true' }]);
    expect(r.diff.addedConnections).toEqual([
      { source: ifId, target: slack, sourcePort: 'true' },
      { source: slack, target: emailId },
    ]);
    expect(r.workflow.name).toBe(base.name);
  });

  it('refuses an edit that stays invalid', async () => {
    const bad = { name: 'connect', args: { source: id('weft.if'), target: id('weft.wait'), sourcePort: 'maybe' } };
    server.script.push(
      { toolCalls: [bad, { name: 'finish', args: {} }] },
      { toolCalls: [{ name: 'finish', args: {} }] },
    );
    const edit = editWorkflow(base, 'loop back to the wait', {
      catalogue: hostCatalogue,
      provider: provider(),
      maxRepairRounds: 1,
    });
    await expect(edit).rejects.toBeInstanceOf(GenerationRefusedError);
  });
});
