import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { WeftNodePalette } from '@weft/canvas';
import { html } from 'lit';
import { expect, fn, userEvent } from 'storybook/test';
import { sampleNodeTypes } from '../../packages/canvas/demo/fixtures.js';
import { element, inShadow } from './story-helpers.js';

interface Args {
  theme: 'light' | 'dark';
  connectFrom: 'source' | 'target' | null;
  onSelect: (e: Event) => void;
}

const meta: Meta<Args> = {
  title: 'Canvas/weft-node-palette',
  args: { theme: 'light', connectFrom: null, onSelect: fn() },
  render: (a) =>
    html`<weft-node-palette
      style="height: 480px; width: 280px"
      theme=${a.theme}
      .connectFrom=${a.connectFrom}
      .nodeTypes=${sampleNodeTypes}
      @node-type-select=${a.onSelect}
    ></weft-node-palette>`,
};
export default meta;
type Story = StoryObj<Args>;

export const Default: Story = {
  play: async ({ canvasElement, args }) => {
    const palette = await element<WeftNodePalette>(canvasElement, 'weft-node-palette');
    await expect(inShadow(palette, 'li.item')).toHaveLength(sampleNodeTypes.length);
    const input = inShadow<HTMLInputElement>(palette, 'input')[0]!;
    await userEvent.type(input, 'slack');
    await expect(inShadow<HTMLElement>(palette, 'li.item').map((li) => li.dataset.type)).toEqual(['slack.postMessage']);
    await userEvent.keyboard('{Enter}');
    await expect(args.onSelect).toHaveBeenCalledTimes(1);
  },
};

export const ConnectingFromAnOutput: Story = {
  args: { connectFrom: 'source' },
  play: async ({ canvasElement }) => {
    const palette = await element<WeftNodePalette>(canvasElement, 'weft-node-palette');
    const types = inShadow<HTMLElement>(palette, 'li.item').map((li) => li.dataset.type);
    await expect(types).not.toContain('weft.manualTrigger');
    await expect(types).toContain('weft.set');
  },
};

export const NoMatches: Story = {
  play: async ({ canvasElement }) => {
    const palette = await element<WeftNodePalette>(canvasElement, 'weft-node-palette');
    await userEvent.type(inShadow<HTMLInputElement>(palette, 'input')[0]!, 'zzz');
    await expect(inShadow(palette, '.none')[0]?.textContent).toBe('No node types match');
  },
};

export const Dark: Story = { args: { theme: 'dark' } };
