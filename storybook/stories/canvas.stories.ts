import type { Meta, StoryObj } from '@storybook/web-components-vite';
import type { WeftCanvas } from '@weft/canvas';
import type { EngineEvent, Workflow } from '@weft/engine';
import { html } from 'lit';
import { expect, userEvent } from 'storybook/test';
import {
  largeWorkflow,
  sampleNodeTypes,
  sampleRunEvents,
  sampleWorkflow,
} from '../../packages/canvas/demo/fixtures.js';
import { canvasNodes, element, inShadow, until } from './story-helpers.js';

interface Args {
  workflow: Workflow;
  theme: 'light' | 'dark';
  readonly: boolean;
  edgeStyle: 'bezier' | 'smoothstep';
  snapToGrid: boolean;
  minimap: boolean;
  events: EngineEvent[];
  problems: { path: string; message: string; nodeId?: string }[];
}

const meta: Meta<Args> = {
  title: 'Canvas/weft-canvas',
  args: {
    workflow: sampleWorkflow(),
    theme: 'light',
    readonly: false,
    edgeStyle: 'bezier',
    snapToGrid: false,
    minimap: true,
    events: [],
    problems: [],
  },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark'] },
    edgeStyle: { control: 'inline-radio', options: ['bezier', 'smoothstep'] },
  },
  render: (a) =>
    html`<weft-canvas
      style="height: 560px"
      theme=${a.theme}
      edge-style=${a.edgeStyle}
      ?readonly=${a.readonly}
      ?snap-to-grid=${a.snapToGrid}
      .minimap=${a.minimap}
      .nodeTypes=${sampleNodeTypes}
      .workflow=${a.workflow}
      .events=${a.events}
      .problems=${a.problems}
    ></weft-canvas>`,
};
export default meta;
type Story = StoryObj<Args>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = await element<WeftCanvas>(canvasElement, 'weft-canvas');
    await until(() => canvasNodes(canvas).length === 5);
    const changes: string[] = [];
    canvas.addEventListener('workflow-change', (e) => changes.push(e.detail.label));
    const tag = canvasNodes(canvas).find((n) => n.dataset.id === 'tag')!;
    await userEvent.click(tag);
    await expect(canvas.selection).toEqual(['tag']);
    await userEvent.keyboard('{Delete}');
    await until(() => canvasNodes(canvas).length === 4);
    await expect(inShadow(canvas, 'g.edge')).toHaveLength(3);
    canvas.undo();
    await until(() => canvasNodes(canvas).length === 5);
    await expect(changes).toEqual(['Delete 1 item', 'Undo Delete 1 item']);
  },
};

export const Empty: Story = {
  args: { workflow: { name: 'New workflow', nodes: [], connections: [] } },
  play: async ({ canvasElement }) => {
    const canvas = await element<WeftCanvas>(canvasElement, 'weft-canvas');
    await expect(inShadow(canvas, '.empty')[0]?.textContent).toMatch(/Press Tab/);
    const pane = inShadow<HTMLElement>(canvas, '.weft-flow__pane')[0]!;
    pane.focus();
    await userEvent.keyboard('{Tab}');
    const palette = await until(() => inShadow<HTMLElement>(canvas, 'weft-node-palette')[0]);
    await userEvent.keyboard('http{Enter}');
    await until(() => canvasNodes(canvas).length === 1);
    await expect(canvas.workflow.nodes[0]?.type).toBe('weft.httpRequest');
    await expect(palette.isConnected).toBe(false);
  },
};

export const SmoothStepEdges: Story = {
  args: { edgeStyle: 'smoothstep', snapToGrid: true },
  play: async ({ canvasElement }) => {
    const canvas = await element<WeftCanvas>(canvasElement, 'weft-canvas');
    const path = await until(() => inShadow<SVGPathElement>(canvas, 'g.edge path.line')[0]);
    await expect(path.getAttribute('d')).toMatch(/Q|L/);
  },
};

export const Large: Story = {
  args: { workflow: largeWorkflow(1000, 1200), minimap: true },
  play: async ({ canvasElement }) => {
    const canvas = await element<WeftCanvas>(canvasElement, 'weft-canvas');
    const pane = inShadow<HTMLElement>(canvas, '.weft-flow__pane')[0]!;
    await expect(pane.getAttribute('aria-label')).toMatch(/1000 nodes, 1200 connections/);
    // at fit view all 1,000 are drawn, as boxes the LOD layer paints: no element each
    await until(() => canvas.drawnIds.length === 1000 && canvas.view.plain);
    await expect(canvasNodes(canvas).length).toBeLessThan(3);
    await canvas.view.panZoom.instance!.setViewport({ x: 0, y: 0, zoom: 1 });
    await until(() => canvasNodes(canvas).length > 0 && canvasNodes(canvas).length < 150);
  },
};

export const Running: Story = {
  args: { events: sampleRunEvents('exec-running').slice(0, 8) },
  play: async ({ canvasElement }) => {
    const canvas = await element<WeftCanvas>(canvasElement, 'weft-canvas');
    const node = (id: string) => until(() => canvasNodes(canvas).find((n) => n.dataset.id === id));
    await expect((await node('fetch')).classList.contains('status-succeeded')).toBe(true);
    await expect((await node('notify')).classList.contains('status-running')).toBe(true);
    await expect(canvas.overlay.status).toBe('running');
  },
};

export const Failed: Story = {
  args: { events: sampleRunEvents('exec-failed', true) },
  play: async ({ canvasElement }) => {
    const canvas = await element<WeftCanvas>(canvasElement, 'weft-canvas');
    const notify = await until(() => canvasNodes(canvas).find((n) => n.dataset.id === 'notify'));
    await expect(notify.classList.contains('status-failed')).toBe(true);
    await expect(notify.querySelector('.badge.status')?.getAttribute('title')).toMatch(/401/);
    await expect(canvas.overlay.status).toBe('failed');
  },
};

export const Succeeded: Story = {
  args: { events: sampleRunEvents('exec-ok') },
  play: async ({ canvasElement }) => {
    const canvas = await element<WeftCanvas>(canvasElement, 'weft-canvas');
    await until(() => canvasNodes(canvas).filter((n) => n.classList.contains('status-succeeded')).length === 5);
    await expect(inShadow(canvas, 'text.count').map((t) => t.textContent)).toContain('3 items');
  },
};

export const ReadOnly: Story = {
  args: { readonly: true },
  play: async ({ canvasElement }) => {
    const canvas = await element<WeftCanvas>(canvasElement, 'weft-canvas');
    const big = await until(() => canvasNodes(canvas).find((n) => n.dataset.id === 'big'));
    await userEvent.click(big);
    await userEvent.keyboard('{Delete}');
    await expect(canvas.workflow.nodes).toHaveLength(5);
    await expect(inShadow(canvas, '.status-pill')[0]?.textContent).toBe('Read-only');
  },
};

export const Dark: Story = {
  args: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    const canvas = await element<WeftCanvas>(canvasElement, 'weft-canvas');
    await expect(canvas.getAttribute('theme')).toBe('dark');
    await expect(getComputedStyle(canvas).backgroundColor).toBe('rgb(18, 21, 28)');
  },
};

export const WithValidationProblems: Story = {
  args: {
    problems: [
      { path: '/nodes/1/parameters/url', message: 'URL must use https' },
      { path: '/nodes/3/parameters/credential', message: 'Choose a Slack account', nodeId: 'notify' },
    ],
  },
  play: async ({ canvasElement }) => {
    const canvas = await element<WeftCanvas>(canvasElement, 'weft-canvas');
    const fetch = await until(() => canvasNodes(canvas).find((n) => n.dataset.id === 'fetch'));
    await expect(fetch.querySelector('.badge.problems')?.getAttribute('title')).toBe('URL must use https');
    await expect(fetch.getAttribute('aria-label')).toMatch(/1 problem/);
  },
};
