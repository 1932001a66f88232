// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { sampleNodeTypes } from '../../demo/fixtures.js';
import { WeftNodePalette } from './weft-node-palette.js';

customElements.define('weft-node-palette', WeftNodePalette);

describe('<weft-node-palette>', () => {
  it('filters by search, ranks name matches first and picks with the keyboard', async () => {
    const palette = document.createElement('weft-node-palette') as WeftNodePalette;
    palette.nodeTypes = sampleNodeTypes;
    document.body.append(palette);
    await palette.updateComplete;
    expect(palette.shadowRoot!.querySelectorAll('li.item')).toHaveLength(sampleNodeTypes.length);

    const picked: string[] = [];
    palette.addEventListener('node-type-select', (e) => picked.push((e as CustomEvent<{ type: string }>).detail.type));
    const input = palette.shadowRoot!.querySelector('input')!;
    input.value = 'wait';
    input.dispatchEvent(new Event('input'));
    await palette.updateComplete;
    expect(palette.visibleTypes.map((t) => t.type)).toEqual(['weft.wait', 'weft.merge']);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown' }));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(picked).toEqual(['weft.merge']);
  });

  it('lists only node types that can take a connection from an output', async () => {
    const palette = document.createElement('weft-node-palette') as WeftNodePalette;
    palette.nodeTypes = sampleNodeTypes;
    palette.connectFrom = 'source';
    document.body.append(palette);
    await palette.updateComplete;
    const types = [...palette.shadowRoot!.querySelectorAll<HTMLElement>('li.item')].map((li) => li.dataset.type);
    expect(types).not.toContain('weft.webhook');
    expect(types).toContain('weft.httpRequest');
  });
});
