// @vitest-environment happy-dom
import type { WorkflowNode } from '@weft/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NodeCatalogueEntry } from '../model/node-catalogue.js';
import type { CredentialCreateDetail, NodeChangeDetail, OptionsRequest } from './weft-inspector.js';
import { WeftInspector } from './weft-inspector.js';

if (!customElements.get('weft-inspector')) customElements.define('weft-inspector', WeftInspector);
// Expression inputs import their previewer (and the engine) and code fields CodeMirror on first
// render: load both up front so no import is still pending when the file's environment is torn down.
beforeAll(() =>
  Promise.all([import('../expressions/expression-preview.js'), import('../code-editor/codemirror-view.js')]),
);

const base = { version: 1, docs: '', inputs: [{ name: 'main' }], outputs: [{ name: 'main' }] };
const types: NodeCatalogueEntry[] = [
  {
    ...base,
    type: 'slack.sendMessage',
    displayName: 'Send message',
    description: 'Posts a message',
    group: 'action',
    category: 'Slack',
    parameters: {
      channel: { kind: 'options', label: 'Channel', options: { loader: 'listChannels', searchable: true } },
      text: { kind: 'string', label: 'Text' },
      body: { kind: 'string', label: 'Body', multiline: true },
      count: { kind: 'number', label: 'Count' },
    },
    credentials: { auth: { types: ['slack.botToken'], required: true } },
  },
  {
    ...base,
    inputs: [],
    type: 'weft.webhook',
    displayName: 'Webhook',
    description: 'Starts on a request',
    group: 'trigger',
    trigger: true,
    triggerKind: 'webhook',
    parameters: { path: { kind: 'string', label: 'Path' } },
  },
];

async function mount(node: WorkflowNode, setup: (i: WeftInspector) => void = () => {}) {
  const inspector = document.createElement('weft-inspector') as WeftInspector;
  inspector.nodeTypes = types;
  setup(inspector);
  inspector.node = node;
  document.body.append(inspector);
  await inspector.updateComplete;
  const changes: NodeChangeDetail[] = [];
  inspector.addEventListener('node-change', (e) => changes.push(e.detail));
  return { inspector, root: inspector.shadowRoot!, changes };
}

const settle = async (i: WeftInspector) => {
  for (let k = 0; k < 5; k++) {
    await i.updateComplete;
    await new Promise((r) => setTimeout(r, 0));
  }
};

const slackNode = (): WorkflowNode => ({
  id: 's',
  name: 'Send',
  type: 'slack.sendMessage',
  parameters: { text: 'Hello' },
  credentials: { auth: 'c1' },
});

describe('<weft-inspector> forms', () => {
  it('typing {{ in a plain field switches to expression mode with the caret in it, keeping the text', async () => {
    const { inspector, root, changes } = await mount(slackNode());
    const input = root.querySelector<HTMLInputElement>('[data-param="text"] input')!;
    input.value = 'Hi {{';
    input.dispatchEvent(new Event('input'));
    await settle(inspector);
    const expr = root.querySelector('[data-param="text"] weft-expression-input')!;
    expect(expr).not.toBeNull();
    expect(root.activeElement).toBe(expr);
    const ta = expr.shadowRoot!.querySelector('textarea')!;
    expect(expr.shadowRoot!.activeElement).toBe(ta);
    expect(ta.selectionStart).toBe('Hi {{'.length);
    ta.value = 'Hi {{ $json.name }}';
    ta.dispatchEvent(new Event('input'));
    expect(changes.at(-1)?.node.parameters.text).toBe('Hi {{ $json.name }}');
  });

  it('typing {{ in a multi-line text field does the same', async () => {
    const { inspector, root, changes } = await mount(slackNode());
    const area = root.querySelector<HTMLTextAreaElement>('[data-param="body"] textarea')!;
    area.value = '{{';
    area.dispatchEvent(new Event('input'));
    await settle(inspector);
    const expr = root.querySelector('[data-param="body"] weft-expression-input')!;
    expect(root.activeElement).toBe(expr);
    expect(changes.at(-1)?.node.parameters.body).toBe('{{');
  });

  it('switching an expression back to a fixed value keeps its text, and a literal round-trips', async () => {
    const node = slackNode();
    node.parameters = { text: 'Hi {{ $json.name }}', count: 3 };
    const { inspector, root, changes } = await mount(node);
    root.querySelector<HTMLButtonElement>('[data-param="text"] button.mode')!.click();
    await settle(inspector);
    expect(changes.at(-1)?.node.parameters.text).toBe('Hi $json.name');
    expect(root.querySelector<HTMLInputElement>('[data-param="text"] input')!.value).toBe('Hi $json.name');
    root.querySelector<HTMLButtonElement>('[data-param="count"] button.mode')!.click();
    await settle(inspector);
    expect(changes.at(-1)?.node.parameters.count).toBe('{{ 3 }}');
    root.querySelector<HTMLButtonElement>('[data-param="count"] button.mode')!.click();
    await settle(inspector);
    expect(changes.at(-1)?.node.parameters.count).toBe(3);
  });

  it('loads a dynamic dropdown through loadOptions with the node type, loader and credential', async () => {
    const requests: OptionsRequest[] = [];
    const { inspector, root, changes } = await mount(slackNode(), (i) => {
      i.loadOptions = async (r) => {
        requests.push(r);
        return [
          { value: 'C1', label: '#general' },
          { value: 'C2', label: '#random' },
        ];
      };
    });
    await settle(inspector);
    expect(requests[0]).toMatchObject({ nodeType: 'slack.sendMessage', loader: 'listChannels', credentialId: 'c1' });
    const picker = root.querySelector('[data-param="channel"] weft-options-select')!;
    await settle(inspector);
    const select = picker.shadowRoot!.querySelector('select')!;
    expect([...select.options].map((o) => o.textContent?.trim())).toEqual(['Choose…', '#general', '#random']);
    select.value = 'C2';
    select.dispatchEvent(new Event('change'));
    expect(changes.at(-1)?.node.parameters.channel).toBe('C2');
  });

  it('asks for the credential before loading a dropdown that needs one, instead of calling the host', async () => {
    const requests: OptionsRequest[] = [];
    const { inspector, root } = await mount({ ...slackNode(), credentials: {} }, (i) => {
      i.loadOptions = async (r) => {
        requests.push(r);
        throw new Error('fetch failed');
      };
    });
    await settle(inspector);
    const picker = root.querySelector('[data-param="channel"] weft-options-select')!;
    await settle(inspector);
    expect(requests).toEqual([]);
    expect(picker.shadowRoot!.querySelector('[role="alert"]')?.textContent).toBe(
      'Choose a credential to load these options.',
    );
  });

  it('shows an unset optional JSON field empty (not null), and clearing one unsets it', async () => {
    const { inspector, root, changes } = await mount(slackNode(), (i) => {
      const [slack] = types;
      i.nodeTypes = [{ ...slack!, parameters: { ...slack!.parameters, blocks: { kind: 'json', label: 'Blocks' } } }];
    });
    await settle(inspector);
    const editor = root.querySelector('[data-param="blocks"] weft-code-editor') as HTMLElement & { value: string };
    expect(editor.value).toBe('');
    editor.dispatchEvent(new CustomEvent('value-change', { detail: { value: '[{"type":"divider"}]' } }));
    expect(changes.at(-1)?.node.parameters.blocks).toEqual([{ type: 'divider' }]);
    editor.dispatchEvent(new CustomEvent('value-change', { detail: { value: '  ' } }));
    expect(changes.at(-1)?.node.parameters).not.toHaveProperty('blocks');
  });

  it('offers "Create new credential…" and assigns the credential the page created', async () => {
    const { inspector, root, changes } = await mount(slackNode(), (i) => {
      i.credentialCreation = true;
      i.credentials = [{ id: 'c1', name: 'Old bot', type: 'slack.botToken' }];
    });
    let asked: CredentialCreateDetail | undefined;
    inspector.addEventListener('credential-create', (e) => {
      asked = e.detail;
    });
    const select = root.querySelector<HTMLSelectElement>('select[id*="-cred-"]')!;
    expect([...select.options].map((o) => o.textContent?.trim())).toEqual([
      'Choose (required)…',
      'Old bot',
      '+ Create new credential…',
    ]);
    select.value = '__create__';
    select.dispatchEvent(new Event('change'));
    expect(asked?.types).toEqual(['slack.botToken']);
    asked?.assign({ id: 'c9', name: 'New bot', type: 'slack.botToken' });
    await settle(inspector);
    expect(changes.at(-1)?.node.credentials).toEqual({ auth: 'c9' });
    expect(inspector.credentials.map((c) => c.id)).toEqual(['c1', 'c9']);
  });

  it('shows a webhook trigger its production URL with a copy button', async () => {
    const { root } = await mount(
      { id: 'w', name: 'Webhook', type: 'weft.webhook', parameters: { path: 'orders/new' } },
      (i) => {
        i.webhookBaseUrl = 'https://weft.example.com/';
      },
    );
    expect(root.querySelector('code.url[data-kind="production"]')?.textContent).toBe(
      'https://weft.example.com/hooks/orders/new',
    );
    expect(root.querySelector('button.copy')?.getAttribute('aria-label')).toBe('Copy production URL');
  });
});
