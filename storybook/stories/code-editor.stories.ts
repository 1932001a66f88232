import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { WeftCodeEditor } from '@weft/canvas';
import { html } from 'lit';
import { expect, fn } from 'storybook/test';
import { element, until } from './story-helpers.js';

interface Args {
  value: string;
  language: 'javascript' | 'json';
  readonly: boolean;
  theme: 'light' | 'dark';
  onChange: (e: Event) => void;
}

const meta: Meta<Args> = {
  title: 'Canvas/weft-code-editor',
  args: {
    value: 'return $input.all().map((item) => ({ total: item.json.price * item.json.qty }));',
    language: 'javascript',
    readonly: false,
    theme: 'light',
    onChange: fn(),
  },
  render: (a) =>
    html`<weft-code-editor
      theme=${a.theme}
      .value=${a.value}
      .language=${a.language}
      ?readonly=${a.readonly}
      @value-change=${a.onChange}
    ></weft-code-editor>`,
};
export default meta;
type Story = StoryObj<Args>;

export const JavaScript: Story = {
  play: async ({ canvasElement, args }) => {
    const editor = await element<WeftCodeEditor>(canvasElement, 'weft-code-editor');
    const content = await until(() => editor.shadowRoot?.querySelector<HTMLElement>('.cm-content'), 8000);
    await expect(content.textContent).toMatch(/return \$input/);
    editor.value = 'return [];';
    await editor.updateComplete;
    await until(() => content.textContent === 'return [];');
    await expect(args.onChange).not.toHaveBeenCalled();
  },
};

export const Json: Story = {
  args: { value: '{\n  "a": 1\n}', language: 'json' },
  play: async ({ canvasElement }) => {
    const editor = await element<WeftCodeEditor>(canvasElement, 'weft-code-editor');
    await until(() => editor.shadowRoot?.querySelector('.cm-editor'), 8000);
  },
};

export const ReadOnly: Story = {
  args: { readonly: true },
  play: async ({ canvasElement }) => {
    const editor = await element<WeftCodeEditor>(canvasElement, 'weft-code-editor');
    const content = await until(() => editor.shadowRoot?.querySelector<HTMLElement>('.cm-content'), 8000);
    await expect(content.getAttribute('aria-readonly')).toBe('true');
  },
};

export const Dark: Story = { args: { theme: 'dark' } };
