import { WeftCanvas } from './canvas/weft-canvas.js';
import { WeftCodeEditor } from './code-editor/weft-code-editor.js';
import { WeftExecutionView } from './execution-view/weft-execution-view.js';
import { WeftInspector } from './inspector/weft-inspector.js';
import { WeftNodePalette } from './palette/weft-node-palette.js';

const elements: [string, CustomElementConstructor][] = [
  ['weft-canvas', WeftCanvas],
  ['weft-node-palette', WeftNodePalette],
  ['weft-inspector', WeftInspector],
  ['weft-execution-view', WeftExecutionView],
  ['weft-code-editor', WeftCodeEditor],
];

/**
 * Registers every Weft element under its default tag name (skipping tags already defined), so
 * importing `@weft/canvas/define` once is enough to use them in HTML.
 *
 * @example
 * ```ts
 * import '@weft/canvas/define';
 * document.body.append(document.createElement('weft-canvas'));
 * ```
 */
export function defineWeftElements(registry: CustomElementRegistry = customElements): void {
  for (const [tag, ctor] of elements) if (!registry.get(tag)) registry.define(tag, ctor);
}

defineWeftElements();
