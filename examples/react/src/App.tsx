import type { WorkflowChangeDetail } from '@weft/canvas';
import { builtinNodeTypes, NodeRegistry, type Workflow } from '@weft/engine';
import { useState } from 'react';
import orderTotal from '../../workflows/order-total.json';
import { EmbeddedWeft } from './EmbeddedWeft.js';
import { WeftEditor } from './WeftEditor.js';
import { fetchEmbedToken, weftHost } from './weft-config.js';

const nodeTypes = new NodeRegistry().register(...builtinNodeTypes).describe();
const { $schema: _schema, ...exampleWorkflow } = orderTotal;

export function App() {
  const [workflow, setWorkflow] = useState<Workflow>(exampleWorkflow as Workflow);
  const [changes, setChanges] = useState<string[]>([]);
  const [embedOpen, setEmbedOpen] = useState(false);
  const [embedStatus, setEmbedStatus] = useState('');

  const onChange = ({ workflow, label }: WorkflowChangeDetail) => {
    console.log('workflow-change', label, workflow);
    setWorkflow(workflow);
    setChanges((c) => [...c, `${label} (${workflow.nodes.length} nodes)`]);
  };

  return (
    <>
      <header>
        <h1>Weft in React</h1>
        <output aria-live="polite">{embedStatus}</output>
        <button
          type="button"
          onClick={() => {
            setEmbedStatus('connecting…');
            setEmbedOpen(true);
          }}
        >
          Open Weft in a modal
        </button>
      </header>
      <WeftEditor workflow={workflow} nodeTypes={nodeTypes} onChange={onChange} />
      <ol className="changes" aria-label="Workflow changes">
        {changes.map((c, i) => (
          // the log only grows, so the index is a stable key
          // biome-ignore lint/suspicious/noArrayIndexKey: append-only list
          <li key={i}>{c}</li>
        ))}
      </ol>
      {embedOpen && (
        <EmbeddedWeft
          host={weftHost}
          view="workflows"
          target="modal"
          token={fetchEmbedToken}
          theme={{ colors: { primary: '#7c3aed' } }}
          onEvent={(event, payload) => {
            console.log('weft', event, payload);
            if (event === 'ready') setEmbedStatus('ready');
          }}
          onError={(error) => setEmbedStatus(error.message)}
          onClose={() => {
            setEmbedStatus('closed');
            setEmbedOpen(false);
          }}
        />
      )}
    </>
  );
}
