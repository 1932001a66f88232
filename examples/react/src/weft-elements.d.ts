// JSX types for the Weft custom elements. React 19 sets a custom element's props as DOM properties
// when the element has such a property (so objects like `workflow` pass through untouched) and
// turns `on<event-name>` props into addEventListener('<event-name>') listeners.
import type { WeftCanvas, WeftInspector, WeftNodePalette } from '@weft/canvas';
import type { DetailedHTMLProps, HTMLAttributes } from 'react';

type ElementProps<E extends HTMLElement, P extends keyof E, Events> = DetailedHTMLProps<HTMLAttributes<E>, E> &
  Partial<Pick<E, P>> & { [K in keyof Events as `on${K & string}`]?: (event: Events[K]) => void };

type CanvasEvents = Pick<HTMLElementEventMap, 'workflow-change' | 'selection-change' | 'node-open' | 'run-request'>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'weft-canvas': ElementProps<
        WeftCanvas,
        'workflow' | 'nodeTypes' | 'readonly' | 'theme' | 'validate' | 'problems' | 'minimap' | 'snapToGrid',
        CanvasEvents
      >;
      'weft-node-palette': ElementProps<
        WeftNodePalette,
        'nodeTypes' | 'theme',
        Pick<HTMLElementEventMap, 'node-type-select'>
      >;
      'weft-inspector': ElementProps<
        WeftInspector,
        'node' | 'nodeTypes' | 'credentials' | 'readonly' | 'theme',
        Pick<HTMLElementEventMap, 'node-change'>
      >;
    }
  }
}
