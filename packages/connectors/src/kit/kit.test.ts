import { type JsonObject, NodeRegistry, param } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { Auth } from '../auth/auth-scheme.js';
import { createHttpClient } from '../http/http-client.js';
import { type LocalServer, sendJson, startLocalServer } from '../testing/local-server.js';
import { runNode } from '../testing/node-context.js';
import { connectorNodeTypes, findTrigger, toItems } from './connector-node-types.js';
import { defineAction } from './define-action.js';
import { defineConnector } from './define-connector.js';
import { defineTrigger } from './define-trigger.js';
import { describeConnector } from './describe-connector.js';
import { loadOptions } from './load-options.js';
import { Property } from './property.js';
import { testCredential } from './test-credential.js';

let api: LocalServer;
beforeAll(async () => {
  api = await startLocalServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.headers['x-api-key'] !== 'key-1') return sendJson(res, 401, { message: 'bad key' });
    if (url.pathname === '/lists') {
      return sendJson(res, 200, [
        { id: 'l1', name: 'Customers' },
        { id: 'l2', name: 'Partners' },
        { id: 'l3', name: 'Customers EU' },
      ]);
    }
    if (url.pathname === '/contacts' && req.method === 'POST') {
      const body = JSON.parse(req.body.toString()) as JsonObject;
      return sendJson(res, 201, { id: `c-${body.email}`, ...body });
    }
    if (url.pathname === '/contacts')
      return sendJson(res, 200, [
        { id: 1, email: 'a@x' },
        { id: 2, email: 'b@x' },
      ]);
    return sendJson(res, 404, {});
  });
});
afterAll(() => api.close());

const http = () => createHttpClient({ allow: ['127.0.0.1/32'] });

function acme() {
  const auth = Auth.apiKey({
    type: 'acme.apiKey',
    displayName: 'Acme API key',
    in: 'header',
    name: 'X-Api-Key',
    test: async ({ http }) => {
      await http.request({ url: `${api.url}/lists` });
    },
  });
  const createContact = defineAction({
    name: 'createContact',
    displayName: 'Create contact',
    description: 'Creates a contact in a list',
    sideEffects: 'once',
    props: {
      list: Property.Dropdown({ label: 'List', loader: 'listLists', searchable: true, required: true }),
      email: Property.ShortText({ label: 'Email', required: true }),
      vip: Property.Checkbox({ label: 'VIP', default: false }),
      tags: Property.StaticMultiSelectDropdown({
        label: 'Tags',
        options: [
          { value: 'a', label: 'A' },
          { value: 'b', label: 'B' },
        ],
      }),
    },
    run: async (ctx) => {
      expectTypeOf(ctx.props.email).toEqualTypeOf<string>();
      expectTypeOf(ctx.props.vip).toEqualTypeOf<boolean>();
      expectTypeOf(ctx.props.tags).toEqualTypeOf<('a' | 'b')[] | undefined>();
      const res = await ctx.http.request<JsonObject>({
        method: 'POST',
        url: `${api.url}/contacts`,
        json: { email: ctx.props.email, list: ctx.props.list, vip: ctx.props.vip },
      });
      return res.body;
    },
  });
  const createContactV2 = defineAction({
    ...createContact,
    version: 2,
    run: async (ctx) => ({ json: { v: 2, email: ctx.props.email } }),
  });
  const newContact = defineTrigger({
    kind: 'polling',
    name: 'newContact',
    displayName: 'New contact',
    description: 'Fires for each new contact',
    props: {},
    dedupe: { by: 'id', field: 'id' },
    poll: async (ctx) => (await ctx.http.request<JsonObject[]>({ url: `${api.url}/contacts` })).body,
  });
  return defineConnector({
    name: 'acme',
    displayName: 'Acme CRM',
    description: 'Contacts and lists in Acme CRM.',
    version: '1.2.0',
    auth,
    actions: [createContact, createContactV2],
    triggers: [newContact],
    optionLoaders: {
      listLists: async (ctx) => {
        const res = await ctx.http.request<{ id: string; name: string }[]>({ url: `${api.url}/lists` });
        return res.body.map((l) => ({ value: l.id, label: l.name }));
      },
    },
  });
}

const credential = { id: 'c1', type: 'acme.apiKey', data: { apiKey: 'key-1' } };

describe('connector kit', () => {
  it('produces the same JSON specs as param.*', () => {
    expect(Property.ShortText({ label: 'A', required: true })).toEqual(param.string({ label: 'A', required: true }));
    expect(Property.LongText({ label: 'B' })).toEqual({ kind: 'string', label: 'B', multiline: true });
    expect(Property.Dropdown({ label: 'C', loader: 'x', searchable: true })).toEqual(
      param.options({ label: 'C', options: { loader: 'x', searchable: true } }),
    );
    expect(JSON.parse(JSON.stringify(Property.Dropdown({ label: 'C', loader: 'x' })))).toEqual({
      kind: 'options',
      label: 'C',
      options: { loader: 'x' },
    });
  });

  it('turns actions and triggers into versioned node types the registry accepts', async () => {
    const types = connectorNodeTypes(acme(), { http: http() });
    const registry = new NodeRegistry().register(...types);
    expect(registry.get('acme.createContact', 1)?.sideEffects).toBe('once');
    expect(registry.get('acme.createContact')?.version).toBe(2);
    expect(registry.get('acme.newContact')?.trigger).toBe(true);
    expect(registry.get('acme.createContact', 1)?.credentials).toEqual({
      auth: { types: ['acme.apiKey'], required: true },
    });
    const v1 = registry.get('acme.createContact', 1)!;
    const out = await runNode(v1, {
      items: [{ json: { e: 'a@x' } }, { json: { e: 'b@x' } }],
      itemParams: [
        { list: 'l1', email: 'a@x', vip: true },
        { list: 'l1', email: 'b@x', vip: false },
      ],
      credential,
    });
    expect(out.map((i) => i.json.id)).toEqual(['c-a@x', 'c-b@x']);
    expect(out[0]?.json).toMatchObject({ vip: true, list: 'l1' });
    const v2 = await runNode(registry.get('acme.createContact', 2)!, { params: { list: 'l', email: 'z' }, credential });
    expect(v2).toEqual([{ json: { v: 2, email: 'z' } }]);
  });

  it('turns whatever run returns into items', () => {
    expect(toItems(undefined)).toEqual([]);
    expect(toItems({ a: 1 })).toEqual([{ json: { a: 1 } }]);
    expect(toItems([{ json: { a: 1 } }, { json: 5 } as never, 'x' as never])).toEqual([
      { json: { a: 1 } },
      { json: { json: 5 } },
      { json: { value: 'x' } },
    ]);
  });

  it('names the node and prop when a required prop or the credential is missing', async () => {
    const [v1] = connectorNodeTypes(acme(), { http: http() });
    await expect(runNode(v1!, { params: { list: 'l1' }, credential })).rejects.toThrow(
      'Node "Node 1" (acme.createContact v1): prop "email" (Email) is required but has no value',
    );
    await expect(runNode(v1!, { params: { list: 'l1', email: 'x' } })).rejects.toThrow(
      'needs a credential of type acme.apiKey in slot "auth"',
    );
    const wrong = { id: 'c2', type: 'other.key', data: {} };
    await expect(runNode(v1!, { params: { list: 'l1', email: 'x' }, credential: wrong })).rejects.toThrow(
      'does not accept credentials of type other.key',
    );
  });

  it('loads dynamic options with search', async () => {
    const opts = await loadOptions(acme(), 'listLists', { search: 'cust', credential }, { http: http() });
    expect(opts).toEqual([
      { value: 'l1', label: 'Customers' },
      { value: 'l3', label: 'Customers EU' },
    ]);
    await expect(loadOptions(acme(), 'nope', {}, { http: http() })).rejects.toThrow(
      'Connector "acme" has no option loader "nope" (has: listLists)',
    );
  });

  it('rejects a dropdown whose loader does not exist, and duplicate versions', () => {
    const action = defineAction({
      name: 'x',
      displayName: 'X',
      description: 'x',
      sideEffects: 'none',
      props: { ch: Property.Dropdown({ label: 'Ch', loader: 'listChannels' }) },
      run: () => undefined,
    });
    expect(() =>
      defineConnector({ name: 'bad', displayName: 'B', description: '', version: '1', actions: [action] }),
    ).toThrow('Connector "bad": action "x" prop "ch" uses option loader "listChannels", which is not in optionLoaders');
    expect(() =>
      defineConnector({
        name: 'dup',
        displayName: 'D',
        description: '',
        version: '1',
        actions: [action, action],
        optionLoaders: { listChannels: async () => [] },
      }),
    ).toThrow('Connector "dup": action "x": version 1 is defined twice');
    expect(() =>
      defineConnector({ name: 'bad-name', displayName: 'B', description: '', version: '1', actions: [] }),
    ).toThrow(/camelCase/);
  });

  it('fetches a sample when a polling trigger runs by hand, and passes payloads through otherwise', async () => {
    const c = acme();
    const trigger = connectorNodeTypes(c, { http: http() }).find((t) => t.type === 'acme.newContact')!;
    const sample = await runNode(trigger, { mode: 'manual', credential });
    expect(sample.map((i) => i.json.id)).toEqual([2, 1]);
    const passed = await runNode(trigger, { mode: 'trigger', items: [{ json: { id: 9 } }], credential });
    expect(passed).toEqual([{ json: { id: 9 } }]);
    expect(findTrigger([c], 'acme.newContact')?.trigger.kind).toBe('polling');
  });

  it('tests credentials', async () => {
    expect(await testCredential(acme(), credential, { http: http() })).toEqual({ ok: true });
    expect(await testCredential(acme(), { ...credential, data: { apiKey: 'wrong' } }, { http: http() })).toEqual({
      ok: false,
      message: 'The service rejected the credential (HTTP 401)',
      status: 401,
      host: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    });
  });

  it('generates markdown docs from the definition', () => {
    const md = describeConnector(acme());
    expect(md).toContain('# Acme CRM');
    expect(md).toContain('### Acme API key (`acme.apiKey`, apiKey)');
    expect(md).toContain('### Create contact (`acme.createContact` v1)');
    expect(md).toContain('### Create contact (`acme.createContact` v2)');
    expect(md).toContain('| `list` | List | one of the options from `listLists` (searchable) | yes |');
    expect(md).toContain('| `tags` | Tags | one or more of `a`, `b` | no |');
    expect(md).toContain('Side effects: once (not repeated once its checkpoint is written)');
    expect(md).toContain('### New contact (`acme.newContact` v1, polling trigger)');
  });
});
