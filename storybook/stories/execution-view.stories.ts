import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { NodeRunView, WeftExecutionView } from '@weft/canvas';
import { html } from 'lit';
import { expect, userEvent } from 'storybook/test';
import { sampleItems } from '../../packages/canvas/demo/fixtures.js';
import { element, inShadow } from './story-helpers.js';

interface Args {
  run: NodeRunView | null;
  theme: 'light' | 'dark';
}

const run: NodeRunView = {
  nodeName: 'Fetch orders',
  status: 'succeeded',
  durationMs: 182,
  input: { main: [{ json: {} }] },
  output: {
    main: [
      ...sampleItems,
      {
        json: { id: 1004, total: 10 },
        binary: { invoice: { id: 'b1', mimeType: 'application/pdf', fileName: 'invoice.pdf', size: 2048 } },
      },
    ],
  },
};

const meta: Meta<Args> = {
  title: 'Canvas/weft-execution-view',
  args: { run, theme: 'light' },
  render: (a) => html`<weft-execution-view theme=${a.theme} .run=${a.run}></weft-execution-view>`,
};
export default meta;
type Story = StoryObj<Args>;

export const Table: Story = {
  play: async ({ canvasElement }) => {
    const view = await element<WeftExecutionView>(canvasElement, 'weft-execution-view');
    await expect(inShadow(view, 'thead th').map((th) => th.textContent)).toEqual([
      '#',
      'id',
      'total',
      'customer',
      'tags',
    ]);
    await expect(inShadow(view, 'tbody tr')).toHaveLength(4);
    await expect(inShadow(view, '.binary li')[0]?.textContent).toMatch(/invoice\.pdf/);
  },
};

export const Json: Story = {
  play: async ({ canvasElement }) => {
    const view = await element<WeftExecutionView>(canvasElement, 'weft-execution-view');
    const json = inShadow<HTMLButtonElement>(view, 'button').find((b) => b.textContent === 'JSON')!;
    await userEvent.click(json);
    const pre = inShadow(view, 'pre')[0]!;
    await expect(JSON.parse(pre.textContent ?? '')).toHaveLength(4);
  },
};

export const Failed: Story = {
  args: {
    run: {
      nodeName: 'Notify sales',
      status: 'failed',
      error: { message: 'Slack answered 401', code: 'HTTP_401' },
      output: {},
    },
  },
  play: async ({ canvasElement }) => {
    const view = await element<WeftExecutionView>(canvasElement, 'weft-execution-view');
    await expect(inShadow(view, '[role="alert"]')[0]?.textContent).toBe('HTTP_401: Slack answered 401');
  },
};

export const NotRunYet: Story = {
  args: { run: null },
  play: async ({ canvasElement }) => {
    const view = await element<WeftExecutionView>(canvasElement, 'weft-execution-view');
    await expect(view.shadowRoot?.textContent).toMatch(/No run data yet/);
  },
};

export const Dark: Story = { args: { theme: 'dark' } };
