import { validateWorkflow } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueSource } from '../catalogue/catalogue-entry.js';
import { hostCatalogue } from '../catalogue.test-support.js';
import { generateWorkflow } from '../generate-workflow.js';
import { GenerationRefusedError } from './model-planner.js';
import { OpenAiCompatibleProvider } from './openai-compatible-provider.js';
import { OpenAiTestServer } from './openai-test-server.test-support.js';

let server: OpenAiTestServer;
beforeAll(async () => {
  server = await new OpenAiTestServer().start();
});
afterAll(() => server.close());
const provider = () => new OpenAiCompatibleProvider({ baseUrl: server.url, model: 'json-model', maxRetries: 0 });

describe('generateWorkflow in JSON-schema mode', () => {
  it('replays the JSON answer as progress and repairs what validation finds', async () => {
    const first = {
      nodes: [
        { id: 'a', type: 'weft.manualTrigger' },
        { id: 'b', type: 'http.request' },
      ],
      connections: [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'zz' },
      ],
    };
    const second = {
      nodes: [
        { id: 'a', type: 'weft.manualTrigger' },
        { id: 'b', type: 'http.request', parameters: { url: 'https://example.com' } },
      ],
      connections: [{ source: 'a', target: 'b' }],
      explanation: 'Fetches example.com',
    };
    server.script.push({ content: JSON.stringify(first) }, { content: JSON.stringify(second) });
    const events: string[] = [];
    const r = await generateWorkflow('fetch example.com', {
      catalogue: hostCatalogue,
      provider: provider(),
      mode: 'json',
      onProgress: (e) => events.push(e.type),
    });
    expect(validateWorkflow(r.workflow, catalogueSource(hostCatalogue)).valid).toBe(true);
    expect(r).toMatchObject({ explanation: 'Fetches example.com', source: 'model', confidence: 0.8 });
    expect(r.workflow.nodes[1]?.parameters).toEqual({ url: 'https://example.com' });
    expect(events.slice(-3)).toEqual(['node-added', 'node-added', 'connected']);
    const sent = server.requests[0]?.body as {
      response_format: {
        json_schema: { schema: { properties: { nodes: { items: { properties: { type: { enum: string[] } } } } } } };
      };
    };
    expect(sent.response_format.json_schema.schema.properties.nodes.items.properties.type.enum).toContain(
      'slack.sendMessage',
    );
    const repair = ((server.requests[1]?.body.messages ?? []) as { content: string }[]).at(-1)?.content;
    expect(repair).toContain('connection b -> zz: No node "zz" in the workflow');
    expect(repair).toContain('/nodes/1/parameters/url: Parameter "URL" (url) is required');
  });

  it('refuses when the answers stay unreadable', async () => {
    server.requests.length = 0;
    server.script.push({ content: 'sure!' }, { content: 'here you go' });
    const e = await generateWorkflow('fetch example.com', {
      catalogue: hostCatalogue,
      provider: provider(),
      mode: 'json',
      maxRepairRounds: 1,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GenerationRefusedError);
    expect((e as Error).message).toContain('the answer is not JSON: here you go');
    expect(server.requests).toHaveLength(2);
  });
});
