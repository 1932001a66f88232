import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { NodeChangeDetail, WeftInspector } from '@weft/canvas';
import type { WorkflowNode } from '@weft/engine';
import { html } from 'lit';
import { expect, fn, userEvent } from 'storybook/test';
import { sampleItems, sampleNodeTypes, sampleWorkflow } from '../../packages/canvas/demo/fixtures.js';
import { element, inShadow, typeInto, until } from './story-helpers.js';

interface Args {
  node: WorkflowNode | null;
  theme: 'light' | 'dark';
  readonly: boolean;
  onChange: (e: CustomEvent<NodeChangeDetail>) => void;
}

const nodes = sampleWorkflow().nodes;
const credentials = [
  { id: 'c1', name: 'Sales Slack', type: 'slackOAuth2' },
  { id: 'c2', name: 'Shop API key', type: 'apiKey' },
];

const meta: Meta<Args> = {
  title: 'Canvas/weft-inspector',
  args: { node: nodes[1]!, theme: 'light', readonly: false, onChange: fn() },
  render: (a) =>
    html`<weft-inspector
      style="width: 360px; height: 600px"
      theme=${a.theme}
      ?readonly=${a.readonly}
      .node=${a.node}
      .nodeTypes=${sampleNodeTypes}
      .credentials=${credentials}
      .inputItems=${sampleItems}
      @node-change=${a.onChange}
    ></weft-inspector>`,
};
export default meta;
type Story = StoryObj<Args>;

export const HttpRequest: Story = {
  play: async ({ canvasElement, args }) => {
    const inspector = await element<WeftInspector>(canvasElement, 'weft-inspector');
    const url = inShadow<HTMLInputElement>(inspector, '[data-param="url"] input')[0]!;
    typeInto(url, 'https://api.example.com');
    await expect(args.onChange).toHaveBeenCalled();
    await expect(inspector.node?.parameters.url).toBe('https://api.example.com');
    await expect(inShadow(inspector, '[data-param="body"]')).toHaveLength(0);
  },
};

export const ExpressionWithPreview: Story = {
  args: { node: nodes[3]! },
  play: async ({ canvasElement }) => {
    const inspector = await element<WeftInspector>(canvasElement, 'weft-inspector');
    const expr = await until(() => inShadow<HTMLElement>(inspector, '[data-param="text"] weft-expression-input')[0]);
    const output = await until(() => expr.shadowRoot?.querySelector('output'));
    await until(() => output.textContent === 'Order 1001: 250');
    const textarea = expr.shadowRoot!.querySelector('textarea')!;
    typeInto(textarea, '{{ $json.cus');
    const option = await until(() => expr.shadowRoot!.querySelector('li[role="option"]'));
    await expect(option.textContent).toMatch(/\$json\.customer/);
    const key = (k: string) => textarea.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
    key('ArrowDown');
    key('ArrowDown');
    key('Enter');
    await until(() => textarea.value === '{{ $json.customer.email');
    typeInto(textarea, `${textarea.value} }}`);
    await until(() => output.textContent === 'ada@example.com');
  },
};

export const CredentialPicker: Story = {
  args: { node: nodes[3]! },
  play: async ({ canvasElement }) => {
    const inspector = await element<WeftInspector>(canvasElement, 'weft-inspector');
    const select = inShadow<HTMLSelectElement>(inspector, '[data-param="credential"] select')[0]!;
    await expect([...select.options].map((o) => o.textContent)).toEqual(['Choose a credential…', 'Sales Slack']);
    select.value = 'c1';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await expect(inspector.node?.parameters.credential).toBe('c1');
  },
};

export const ListOfFields: Story = {
  args: { node: nodes[4]! },
  play: async ({ canvasElement }) => {
    const inspector = await element<WeftInspector>(canvasElement, 'weft-inspector');
    const add = inShadow<HTMLButtonElement>(inspector, 'button.add')[0]!;
    await userEvent.click(add);
    await until(() => inShadow(inspector, 'fieldset.row').length === 2);
    await expect(inspector.node?.parameters.fields).toEqual([{ name: 'size', value: 'small' }, {}]);
  },
};

export const Empty: Story = {
  args: { node: null },
  play: async ({ canvasElement }) => {
    const inspector = await element<WeftInspector>(canvasElement, 'weft-inspector');
    await expect(inspector.shadowRoot?.textContent).toMatch(/Select a node/);
  },
};

export const ReadOnly: Story = {
  args: { readonly: true },
  play: async ({ canvasElement }) => {
    const inspector = await element<WeftInspector>(canvasElement, 'weft-inspector');
    await expect(inShadow<HTMLInputElement>(inspector, '[data-param="url"] input')[0]?.readOnly).toBe(true);
  },
};

export const Dark: Story = { args: { theme: 'dark' } };
