// @vitest-environment happy-dom
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleNodeTypes, sampleWorkflow } from '../../demo/fixtures.js';
import type { NodeChangeDetail } from './weft-inspector.js';
import { WeftInspector } from './weft-inspector.js';

customElements.define('weft-inspector', WeftInspector);
// Expression inputs import their previewer (and the engine) and code fields CodeMirror on first
// render: load both up front so no import is still pending when the file's environment is torn down.
beforeAll(() =>
  Promise.all([import('../expressions/expression-preview.js'), import('../code-editor/codemirror-view.js')]),
);

describe('<weft-inspector>', () => {
  it('renders fields from the parameter specs and emits the edited node', async () => {
    const inspector = document.createElement('weft-inspector') as WeftInspector;
    inspector.nodeTypes = sampleNodeTypes;
    inspector.credentials = [
      { id: 'c1', name: 'Basic', type: 'httpBasic' },
      { id: 'c2', name: 'Slack', type: 'slackOAuth2' },
    ];
    inspector.node = sampleWorkflow().nodes[1]!;
    document.body.append(inspector);
    await inspector.updateComplete;
    const root = inspector.shadowRoot!;
    expect([...root.querySelectorAll<HTMLElement>('.field[data-param]')].map((f) => f.dataset.param)).toEqual([
      'method',
      'url',
      'headers',
      'options',
      'timeoutMs',
      'followRedirects',
    ]);
    const changes: NodeChangeDetail[] = [];
    inspector.addEventListener('node-change', (e) => changes.push((e as CustomEvent<NodeChangeDetail>).detail));
    const url = root.querySelector<HTMLInputElement>('[data-param="url"] input')!;
    url.value = 'https://example.com/x';
    url.dispatchEvent(new Event('input'));
    expect(changes.at(-1)).toMatchObject({
      field: 'parameters.url',
      node: { parameters: { url: 'https://example.com/x' } },
    });

    const method = root.querySelector<HTMLSelectElement>('[data-param="method"] select')!;
    method.value = 'POST';
    method.dispatchEvent(new Event('change'));
    await inspector.updateComplete;
    expect(root.querySelector('[data-param="body"]')).not.toBeNull();

    const creds = root.querySelector<HTMLSelectElement>('select[id*="-cred-"]')!;
    expect([...creds.options].map((o) => o.textContent)).toEqual(['None', 'Basic']);
  });

  it('says so when nothing is selected', async () => {
    const inspector = document.createElement('weft-inspector') as WeftInspector;
    document.body.append(inspector);
    await inspector.updateComplete;
    expect(inspector.shadowRoot!.textContent).toContain('Select a node');
  });
});
