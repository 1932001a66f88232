import '@weft/canvas/define';
import type { WeftCanvas, WorkflowChangeDetail } from '@weft/canvas';
import type { NodeTypeDescription, Workflow } from '@weft/engine';
import { useRef, useState } from 'react';

export interface WeftEditorProps {
  /** The document. Pass back the `workflow` of every change: the canvas keeps its undo history as long as it gets the object it emitted. */
  workflow: Workflow;
  nodeTypes: NodeTypeDescription[];
  theme?: 'light' | 'dark';
  onChange?: (change: WorkflowChangeDetail) => void;
}

/**
 * `<weft-node-palette>`, `<weft-canvas>` and `<weft-inspector>` wired together. React 19 passes the
 * props straight to the elements as properties and the `on<event>` props as event listeners; the
 * ref is only for the canvas methods (`addNode`, `updateNode`).
 */
export function WeftEditor({ workflow, nodeTypes, theme = 'light', onChange }: WeftEditorProps) {
  const canvas = useRef<WeftCanvas>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = workflow.nodes.find((n) => n.id === selectedId) ?? null;

  return (
    <div className="weft-editor">
      <weft-node-palette
        aria-label="Node palette"
        nodeTypes={nodeTypes}
        theme={theme}
        onnode-type-select={(e) => canvas.current?.addNode(e.detail.type)}
      />
      <weft-canvas
        ref={canvas}
        workflow={workflow}
        nodeTypes={nodeTypes}
        theme={theme}
        onworkflow-change={(e) => onChange?.(e.detail)}
        onselection-change={(e) => setSelectedId(e.detail.nodeIds.length === 1 ? (e.detail.nodeIds[0] ?? null) : null)}
      />
      <weft-inspector
        node={selected}
        nodeTypes={nodeTypes}
        theme={theme}
        onnode-change={(e) => canvas.current?.updateNode(e.detail.node, e.detail.field)}
      />
    </div>
  );
}
