import { builtinConnectors, connectorNodeTypes, respondToWebhookNode } from '@weft/connectors';
import { builtinNodeTypes, defineNodeType, NodeRegistry, type Workflow } from '@weft/engine';

/** Calls that reached the side-effecting `acme.sendInvoice` node (tests check none did). */
export const invoicesSent: unknown[] = [];

const sendInvoice = defineNodeType({
  type: 'acme.sendInvoice',
  version: 1,
  displayName: 'Send invoice',
  description: 'Sends an invoice (a side effect tests must mock)',
  group: 'action',
  docs: 'Runs once per execution with all items.',
  sideEffects: 'once',
  parameters: {},
  execute: ({ inputs }) => {
    invoicesSent.push(inputs.main);
    return { outputs: { main: [{ json: { invoiceId: 'real-invoice' } }] } };
  },
});

/** The host's node types (built-ins, connectors, Respond to Webhook) plus `acme.sendInvoice`. */
export const registry = new NodeRegistry().register(
  ...builtinNodeTypes,
  ...builtinConnectors.flatMap((c) => connectorNodeTypes(c, {})),
  respondToWebhookNode,
  sendInvoice,
);

/**
 * The reference webhook flow (host/src/workflows/example-workflows.ts), with an invoice sent on
 * the large-order branch: webhook -> code total -> if -> set tier (-> send invoice) -> respond.
 */
export function orderFlow(options: { threshold?: number; invoice?: boolean } = {}): Workflow & { id: string } {
  const invoice = options.invoice ?? true;
  return {
    id: 'order-webhook',
    name: 'Order webhook',
    nodes: [
      {
        id: 'hook',
        name: 'Order received',
        type: 'weft.webhook',
        parameters: { path: 'orders', methods: ['POST'], responseMode: 'respondNode' },
        position: [0, 0],
      },
      {
        id: 'total',
        name: 'Compute total',
        type: 'weft.code',
        position: [220, 0],
        parameters: {
          mode: 'eachItem',
          code: 'const lines = $json.body?.lines ?? [];\nconst total = lines.reduce((s, l) => s + l.price * l.qty, 0);\nreturn { customer: $json.body?.customer ?? null, total, at: $now.toISOString(), run: $execution.id };',
        },
      },
      {
        id: 'large',
        name: 'Large order?',
        type: 'weft.if',
        position: [440, 0],
        parameters: {
          conditions: [{ left: '{{ $json.total }}', operator: 'gte', right: String(options.threshold ?? 100) }],
        },
      },
      {
        id: 'tag-large',
        name: 'Tag large',
        type: 'weft.set',
        position: [660, -80],
        parameters: { fields: [{ name: 'tier', value: 'large' }] },
      },
      {
        id: 'tag-small',
        name: 'Tag small',
        type: 'weft.set',
        position: [660, 80],
        parameters: { fields: [{ name: 'tier', value: 'small' }] },
      },
      ...(invoice
        ? [
            {
              id: 'invoice',
              name: 'Send invoice',
              type: 'acme.sendInvoice',
              parameters: {},
              position: [880, -80] as [number, number],
            },
          ]
        : []),
      {
        id: 'respond',
        name: 'Respond',
        type: 'weft.respondToWebhook',
        position: [1100, 0],
        parameters: { respondWith: 'firstItem', statusCode: 200 },
      },
    ],
    connections: [
      { source: 'hook', target: 'total' },
      { source: 'total', target: 'large' },
      { source: 'large', sourcePort: 'true', target: 'tag-large' },
      { source: 'large', sourcePort: 'false', target: 'tag-small' },
      ...(invoice
        ? [
            { source: 'tag-large', target: 'invoice' },
            { source: 'invoice', target: 'respond' },
          ]
        : [{ source: 'tag-large', target: 'respond' }]),
      { source: 'tag-small', target: 'respond' },
    ],
  };
}

/** A webhook trigger item carrying an order body. */
export const order = (lines: { price: number; qty: number }[], customer = 'ada') => [
  { json: { body: { customer, lines }, headers: {}, query: {} } },
];
