import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';
import type { ChatTool } from './chat-provider.js';

/** The tools a model builds a workflow with. */
export const BUILDER_TOOLS: ChatTool[] = [
  {
    name: 'add_node',
    description: 'Adds a node of a catalogue type; returns its id and name.',
    parameters: {
      type: 'object',
      properties: {
        type: { type: 'string', description: 'A node type from the catalogue' },
        name: { type: 'string', description: 'Unique human-readable name (optional)' },
        parameters: { type: 'object', description: 'Parameter values' },
      },
      required: ['type'],
    },
  },
  {
    name: 'connect',
    description: "Connects a node's output to another node's input (ids or names).",
    parameters: {
      type: 'object',
      properties: {
        source: { type: 'string' },
        target: { type: 'string' },
        sourcePort: { type: 'string', description: 'Output name; default main (If: true/false, Loop: loop/done)' },
        targetPort: { type: 'string', description: 'Input name; default main (Loop feedback: continue)' },
      },
      required: ['source', 'target'],
    },
  },
  {
    name: 'disconnect',
    description: 'Removes a connection between two nodes (ids or names); ports default to main.',
    parameters: {
      type: 'object',
      properties: {
        source: { type: 'string' },
        target: { type: 'string' },
        sourcePort: { type: 'string' },
        targetPort: { type: 'string' },
      },
      required: ['source', 'target'],
    },
  },
  {
    name: 'set_parameter',
    description: 'Sets one parameter of a node.',
    parameters: {
      type: 'object',
      properties: { node: { type: 'string' }, name: { type: 'string' }, value: {} },
      required: ['node', 'name', 'value'],
    },
  },
  {
    name: 'remove_node',
    description: 'Removes a node and its connections.',
    parameters: { type: 'object', properties: { node: { type: 'string' } }, required: ['node'] },
  },
  {
    name: 'finish',
    description: 'Ends the build. List what you could not resolve instead of guessing.',
    parameters: {
      type: 'object',
      properties: {
        explanation: { type: 'string' },
        unresolved: {
          type: 'array',
          items: { type: 'object', properties: { text: { type: 'string' }, reason: { type: 'string' } } },
        },
      },
    },
  },
];

function ports(p: CatalogueEntry['inputs']): string {
  return p === 'dynamic' ? 'dynamic' : p.map((x) => x.name + (x.feedback ? ' (feedback)' : '')).join(', ') || 'none';
}

/**
 * The system prompt: how to build, and the catalogue in a compact form (type, name, what it does,
 * trigger or not, ports, and parameters with kind, required flag and option values).
 *
 * @example
 * ```ts
 * const system = builderInstructions(catalogue);
 * ```
 */
export function builderInstructions(catalogue: readonly CatalogueEntry[]): string {
  const lines = catalogue.map((e) => {
    const params = Object.entries(e.parameters)
      .map(([k, s]) => {
        const opts = 'options' in s && Array.isArray(s.options) ? `=${s.options.map((o) => o.value).join('|')}` : '';
        return `${k}:${s.kind}${s.required ? '!' : ''}${opts}`;
      })
      .join(', ');
    return `- ${e.type}${e.trigger ? ' [trigger]' : ''}: ${e.displayName} — ${e.description}. in: ${ports(e.inputs)}; out: ${ports(e.outputs)}${params ? `; params: ${params}` : ''}`;
  });
  return [
    'You build Weft workflows from a request by calling tools: add_node, connect, disconnect, set_parameter, remove_node, then finish.',
    'Use only the node types below. Start with exactly one trigger node. Set every required parameter (marked !);',
    'a value the request does not give may read the incoming item, like {{ $json.email }}, and goes in finish.unresolved.',
    'A loop closes by connecting the last node of its body to the Loop node\'s "continue" input.',
    '',
    'Node types:',
    ...lines,
  ].join('\n');
}
