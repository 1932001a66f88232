import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { NodeCatalogueEntry, OptionsRequest, WeftInspector } from '@weft/canvas';
import type { OptionChoice, WorkflowNode } from '@weft/engine';
import { html } from 'lit';
import { expect, fn } from 'storybook/test';
import { element, inShadow, typeInto, until } from './story-helpers.js';

// Connector nodes as a host's GET /api/v1/node-types describes them: dynamic dropdowns, a
// credential slot, a webhook trigger with its URL.
const slackIcon =
  'data:image/svg+xml,%3Csvg xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22 viewBox%3D%220 0 24 24%22%3E%3Crect width%3D%2224%22 height%3D%2224%22 rx%3D%226%22 fill%3D%22%234A154B%22%2F%3E%3C%2Fsvg%3E';
const base = { version: 1, docs: '', inputs: [{ name: 'main' }], outputs: [{ name: 'main' }] };
const nodeTypes: NodeCatalogueEntry[] = [
  {
    ...base,
    type: 'slack.sendMessage',
    displayName: 'Send message',
    description: 'Posts a message to a channel',
    group: 'action',
    category: 'Slack',
    icon: slackIcon,
    parameters: {
      channel: { kind: 'options', label: 'Channel', required: true, options: { loader: 'listChannels' } },
      text: { kind: 'string', label: 'Text', multiline: false },
    },
    credentials: { auth: { types: ['slack.botToken'], required: true } },
  },
  {
    ...base,
    inputs: [],
    type: 'weft.webhook',
    displayName: 'Webhook',
    description: 'Starts the workflow when an HTTP request arrives at its URL',
    group: 'trigger',
    trigger: true,
    triggerKind: 'webhook',
    parameters: { path: { kind: 'string', label: 'Path', required: true } },
  },
];

const channels: OptionChoice[] = [
  { value: 'C1', label: '#general' },
  { value: 'C2', label: '#orders' },
];

interface Args {
  node: WorkflowNode;
  loadOptions: (r: OptionsRequest) => Promise<OptionChoice[]>;
  onCreate: (e: Event) => void;
}

const meta: Meta<Args> = {
  title: 'Canvas/weft-options-select',
  args: {
    node: { id: 's', name: 'Send message', type: 'slack.sendMessage', parameters: {}, credentials: { auth: 'c1' } },
    loadOptions: fn(async () => channels),
    onCreate: fn(),
  },
  render: (a) =>
    html`<weft-inspector
      style="width: 360px; height: 520px"
      credential-creation
      webhook-base-url="https://weft.example.com"
      .node=${a.node}
      .nodeTypes=${nodeTypes}
      .credentials=${[{ id: 'c1', name: 'Shop bot', type: 'slack.botToken' }]}
      .loadOptions=${a.loadOptions}
      @credential-create=${a.onCreate}
    ></weft-inspector>`,
};
export default meta;
type Story = StoryObj<Args>;

export const DynamicOptions: Story = {
  play: async ({ canvasElement, args }) => {
    const inspector = await element<WeftInspector>(canvasElement, 'weft-inspector');
    const picker = await until(() => inShadow<HTMLElement>(inspector, 'weft-options-select')[0]);
    const select = await until(() => picker.shadowRoot?.querySelector('select'));
    await until(() => select.options.length === 3);
    await expect(args.loadOptions).toHaveBeenCalledWith(
      expect.objectContaining({ nodeType: 'slack.sendMessage', loader: 'listChannels', credentialId: 'c1' }),
    );
    const text = inShadow<HTMLInputElement>(inspector, '[data-param="text"] input')[0]!;
    typeInto(text, 'Order {{');
    await until(() => inShadow(inspector, '[data-param="text"] weft-expression-input').length === 1);
  },
};

export const WebhookUrls: Story = {
  args: { node: { id: 'w', name: 'Webhook', type: 'weft.webhook', parameters: { path: 'orders' } } },
  play: async ({ canvasElement }) => {
    const inspector = await element<WeftInspector>(canvasElement, 'weft-inspector');
    const url = await until(() => inShadow(inspector, 'code.url')[0]);
    await expect(url.textContent).toBe('https://weft.example.com/hooks/orders');
  },
};

export const LoaderError: Story = {
  args: { loadOptions: fn(async () => Promise.reject(new Error('Slack answered invalid_auth'))) },
  play: async ({ canvasElement }) => {
    const inspector = await element<WeftInspector>(canvasElement, 'weft-inspector');
    const picker = await until(() => inShadow<HTMLElement>(inspector, 'weft-options-select')[0]);
    const alert = await until(() => picker.shadowRoot?.querySelector('[role="alert"]'));
    await expect(alert.textContent).toBe('Slack answered invalid_auth');
  },
};
