import type { Workflow } from '@weft/engine';

/**
 * The reference webhook flow (also the benchmark's): webhook -> code computing a total -> if ->
 * set -> Respond to Webhook.
 *
 * @example
 * ```ts
 * await saveWorkflow(runtime, ws, orderWebhookWorkflow('orders'), { mode: 'create' });
 * ```
 */
export function orderWebhookWorkflow(path: string, id = 'order-webhook'): Workflow & { id: string } {
  return {
    id,
    name: 'Order webhook',
    description:
      'POST an order to /hooks/<path>: totals its lines in code, flags large orders, answers with the result',
    nodes: [
      {
        id: 'hook',
        name: 'Order received',
        type: 'weft.webhook',
        parameters: { path, methods: ['POST'], responseMode: 'respondNode' },
        position: [0, 0],
      },
      {
        id: 'total',
        name: 'Compute total',
        type: 'weft.code',
        position: [220, 0],
        parameters: {
          mode: 'eachItem',
          code: 'const lines = $json.body?.lines ?? [];\nconst total = lines.reduce((s, l) => s + l.price * l.qty, 0);\nreturn { customer: $json.body?.customer ?? null, total };',
        },
      },
      {
        id: 'large',
        name: 'Large order?',
        type: 'weft.if',
        position: [440, 0],
        parameters: { conditions: [{ left: '{{ $json.total }}', operator: 'gte', right: '100' }] },
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
      {
        id: 'respond',
        name: 'Respond',
        type: 'weft.respondToWebhook',
        position: [880, 0],
        parameters: { respondWith: 'firstItem', statusCode: 200 },
      },
    ],
    connections: [
      { source: 'hook', target: 'total' },
      { source: 'total', target: 'large' },
      { source: 'large', sourcePort: 'true', target: 'tag-large' },
      { source: 'large', sourcePort: 'false', target: 'tag-small' },
      { source: 'tag-large', target: 'respond' },
      { source: 'tag-small', target: 'respond' },
    ],
  };
}

/** The examples seeded into a new host's first workspace. */
export function exampleWorkflows(): Array<{ workflow: Workflow & { id: string }; active: boolean }> {
  return [
    {
      active: false,
      workflow: {
        id: 'order-total',
        name: 'Order total',
        description: "Computes an order's total, flags large orders and adds a discount in code",
        nodes: [
          { id: 'trigger', name: 'Order received', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] },
          {
            id: 'prepare',
            name: 'Prepare',
            type: 'weft.set',
            position: [220, 0],
            parameters: {
              fields: [
                { name: 'customer', value: '{{ $str.capitalize($json.customer ?? "guest") }}' },
                {
                  name: 'subtotal',
                  value: '{{ $arr.sum(($json.lines ?? []).map(l => l.price * l.qty)) }}',
                  type: 'number',
                },
              ],
            },
          },
          {
            id: 'large',
            name: 'Large order?',
            type: 'weft.if',
            position: [440, 0],
            parameters: { conditions: [{ left: '{{ $json.subtotal }}', operator: 'gte', right: '100' }] },
          },
          {
            id: 'discount',
            name: 'Discount',
            type: 'weft.code',
            position: [660, -80],
            parameters: {
              mode: 'eachItem',
              code: 'const discount = Math.round($json.subtotal * 0.1 * 100) / 100;\nreturn { ...$json, discount, total: $json.subtotal - discount };',
            },
          },
        ],
        connections: [
          { source: 'trigger', target: 'prepare' },
          { source: 'prepare', target: 'large' },
          { source: 'large', sourcePort: 'true', target: 'discount' },
        ],
      },
    },
    { active: true, workflow: orderWebhookWorkflow('examples/orders') },
    {
      active: false,
      workflow: {
        id: 'expense-approval',
        name: 'Expense approval',
        description: 'Waits for a person to approve or reject, then records the decision',
        nodes: [
          { id: 'trigger', name: 'Expense submitted', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] },
          {
            id: 'approve',
            name: 'Manager approval',
            type: 'weft.approval',
            parameters: { message: 'Approve this expense?' },
            position: [220, 0],
          },
          {
            id: 'ok',
            name: 'Approved',
            type: 'weft.set',
            parameters: { fields: [{ name: 'decision', value: 'approved' }] },
            position: [440, -80],
          },
          {
            id: 'no',
            name: 'Rejected',
            type: 'weft.set',
            parameters: { fields: [{ name: 'decision', value: 'rejected' }] },
            position: [440, 80],
          },
        ],
        connections: [
          { source: 'trigger', target: 'approve' },
          { source: 'approve', sourcePort: 'approved', target: 'ok' },
          { source: 'approve', sourcePort: 'rejected', target: 'no' },
        ],
      },
    },
  ];
}
