import type { EngineEvent, NodeTypeDescription, Workflow } from '@weft/engine';

/** Node type descriptions shaped like `NodeRegistry.describe()` output, for demos, stories and tests. */
export const sampleNodeTypes: NodeTypeDescription[] = [
  {
    type: 'weft.manualTrigger',
    version: 1,
    displayName: 'Manual Trigger',
    description: 'Starts the workflow when you click Run',
    group: 'trigger',
    docs: 'Fires once per manual run.',
    trigger: true,
    parameters: {},
    inputs: [],
    outputs: [{ name: 'main' }],
  },
  {
    type: 'weft.webhook',
    version: 1,
    displayName: 'Webhook',
    description: 'Starts the workflow on an HTTP request',
    group: 'trigger',
    docs: 'Fires for every request to its URL.',
    trigger: true,
    parameters: {
      path: { kind: 'string', label: 'Path', required: true, default: 'hook' },
      method: {
        kind: 'options',
        label: 'Method',
        options: [
          { value: 'GET', label: 'GET' },
          { value: 'POST', label: 'POST' },
        ],
        default: 'POST',
      },
    },
    inputs: [],
    outputs: [{ name: 'main' }],
  },
  {
    type: 'weft.httpRequest',
    version: 1,
    displayName: 'HTTP Request',
    description: 'Calls any HTTP API',
    group: 'action',
    docs: 'Sends one request per input item.',
    parameters: {
      method: {
        kind: 'options',
        label: 'Method',
        options: [
          { value: 'GET', label: 'GET' },
          { value: 'POST', label: 'POST' },
        ],
        default: 'GET',
      },
      url: { kind: 'string', label: 'URL', required: true, placeholder: 'https://api.example.com' },
      body: { kind: 'json', label: 'Body', displayOptions: { show: { method: ['POST'] } } },
      headers: {
        kind: 'list',
        label: 'Header',
        fields: {
          name: { kind: 'string', label: 'Name' },
          value: { kind: 'string', label: 'Value' },
        },
      },
      options: {
        kind: 'collection',
        label: 'Options',
        fields: {
          timeoutMs: { kind: 'number', label: 'Timeout (ms)', min: 1, integer: true, default: 10000 },
          followRedirects: { kind: 'boolean', label: 'Follow redirects', default: true },
        },
      },
    },
    credentials: { auth: { types: ['httpBasic', 'apiKey'] } },
    inputs: [{ name: 'main' }],
    outputs: [{ name: 'main' }],
  },
  {
    type: 'weft.set',
    version: 1,
    displayName: 'Set',
    description: 'Sets fields on each item',
    group: 'transform',
    docs: 'Outputs one item per input item.',
    parameters: {
      fields: {
        kind: 'list',
        label: 'Field',
        fields: {
          name: { kind: 'string', label: 'Name', required: true },
          value: { kind: 'string', label: 'Value' },
        },
        default: [],
      },
      keepOnlySet: { kind: 'boolean', label: 'Keep only set fields', default: false },
    },
    inputs: [{ name: 'main' }],
    outputs: [{ name: 'main' }],
  },
  {
    type: 'weft.if',
    version: 1,
    displayName: 'If',
    description: 'Routes items by a condition',
    group: 'flow',
    docs: 'Each item goes to exactly one of true/false.',
    parameters: {
      condition: { kind: 'string', label: 'Condition', required: true, default: '{{ $json.total > 100 }}' },
    },
    inputs: [{ name: 'main' }],
    outputs: [
      { name: 'true', label: 'true' },
      { name: 'false', label: 'false' },
    ],
  },
  {
    type: 'weft.merge',
    version: 1,
    displayName: 'Merge',
    description: 'Waits for both inputs and combines them',
    group: 'flow',
    docs: 'Fires once both inputs have delivered.',
    parameters: {},
    inputs: [
      { name: 'a', label: 'A' },
      { name: 'b', label: 'B' },
    ],
    outputs: [{ name: 'main' }],
  },
  {
    type: 'weft.code',
    version: 1,
    displayName: 'Code',
    description: 'Runs JavaScript in a sandbox',
    group: 'code',
    docs: 'Runs once for all items.',
    parameters: {
      code: { kind: 'code', label: 'Code', language: 'javascript', default: 'return $input.all();' },
    },
    inputs: [{ name: 'main' }],
    outputs: [{ name: 'main' }],
  },
  {
    type: 'slack.postMessage',
    version: 1,
    displayName: 'Slack: Post Message',
    description: 'Posts a message to a channel',
    group: 'action',
    docs: 'Posts one message per item.',
    parameters: {
      credential: { kind: 'credential', label: 'Slack account', credentialTypes: ['slackOAuth2'], required: true },
      channel: { kind: 'string', label: 'Channel', required: true, default: '#general' },
      text: { kind: 'string', label: 'Text', required: true, multiline: true },
    },
    inputs: [{ name: 'main' }],
    outputs: [{ name: 'main' }],
  },
  {
    type: 'weft.wait',
    version: 1,
    displayName: 'Wait',
    description: 'Pauses the execution',
    group: 'utility',
    docs: 'Resumes after the given time.',
    parameters: { seconds: { kind: 'number', label: 'Seconds', min: 0, default: 5 } },
    inputs: [{ name: 'main' }],
    outputs: [{ name: 'main' }],
  },
] as NodeTypeDescription[];

/** A small order-processing workflow. */
export function sampleWorkflow(): Workflow {
  return {
    id: 'wf-orders',
    name: 'Orders',
    nodes: [
      { id: 'trigger', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 100] },
      {
        id: 'fetch',
        name: 'Fetch orders',
        type: 'weft.httpRequest',
        parameters: { method: 'GET', url: 'https://shop.example.com/orders' },
        position: [280, 100],
      },
      {
        id: 'big',
        name: 'Big order?',
        type: 'weft.if',
        parameters: { condition: '{{ $json.total > 100 }}' },
        position: [560, 100],
      },
      {
        id: 'notify',
        name: 'Notify sales',
        type: 'slack.postMessage',
        parameters: { channel: '#sales', text: 'Order {{ $json.id }}: {{ $json.total }}' },
        position: [840, 0],
      },
      {
        id: 'tag',
        name: 'Tag small',
        type: 'weft.set',
        parameters: { fields: [{ name: 'size', value: 'small' }] },
        position: [840, 200],
      },
    ],
    connections: [
      { source: 'trigger', target: 'fetch' },
      { source: 'fetch', target: 'big' },
      { source: 'big', sourcePort: 'true', target: 'notify' },
      { source: 'big', sourcePort: 'false', target: 'tag' },
    ],
    notes: [{ id: 'n1', text: 'Orders over 100 go to sales.', position: [540, -120], size: [260, 80] }],
  };
}

/**
 * A large workflow: `count` nodes in a grid of chains, plus extra cross links so there are
 * `edges` connections in total.
 */
export function largeWorkflow(count = 1000, edges = 1200): Workflow {
  const cols = 40;
  const nodes: Workflow['nodes'] = [];
  for (let i = 0; i < count; i++) {
    nodes.push({
      id: `n${i}`,
      name: `Step ${i}`,
      type: i % cols === 0 ? 'weft.manualTrigger' : i % 7 === 0 ? 'weft.if' : 'weft.set',
      parameters: {},
      position: [(i % cols) * 260, Math.floor(i / cols) * 140],
    });
  }
  const connections: Workflow['connections'] = [];
  for (let i = 0; i < count && connections.length < edges; i++) {
    if ((i + 1) % cols !== 0 && i + 1 < count) {
      connections.push(
        i % 7 === 0
          ? { source: `n${i}`, sourcePort: 'true', target: `n${i + 1}` }
          : { source: `n${i}`, target: `n${i + 1}` },
      );
    }
  }
  for (let i = 0; connections.length < edges && i + cols + 1 < count; i += 3) {
    if ((i + 1) % cols === 0 || i % 7 === 0) continue;
    connections.push({ source: `n${i}`, target: `n${i + cols + 1}` });
  }
  return { id: 'wf-large', name: `Large (${count} nodes)`, nodes, connections };
}

/** A scripted event stream for one successful run of {@link sampleWorkflow}. */
export function sampleRunEvents(executionId = 'exec-1', fail = false): EngineEvent[] {
  const base = { executionId, workspaceId: 'ws', workflowId: 'wf-orders' };
  let seq = 0;
  let at = 1_700_000_000_000;
  const ev = <T extends object>(e: T) => {
    at += 50;
    return { ...base, seq: seq++, at, ...e };
  };
  const node = (
    nodeId: string,
    nodeName: string,
    itemsOut: Record<string, number>,
    durationMs: number,
    failed = false,
  ) => [
    ev({ type: 'node:started' as const, nodeId, nodeName, runIndex: 0 }),
    ev({
      type: 'node:executed' as const,
      nodeId,
      nodeName,
      runIndex: 0,
      status: failed ? ('failed' as const) : ('succeeded' as const),
      durationMs,
      attempts: 1,
      itemsIn: 1,
      itemsOut,
      ...(failed ? { error: { message: 'Slack answered 401 Unauthorized', code: 'HTTP_401' } } : {}),
    }),
  ];
  return [
    ev({ type: 'workflow:started' as const, mode: 'manual' as const, resumed: false }),
    ...node('trigger', 'Start', { main: 1 }, 1),
    ...node('fetch', 'Fetch orders', { main: 3 }, 182),
    ...node('big', 'Big order?', { true: 2, false: 1 }, 4),
    ...node('notify', 'Notify sales', fail ? {} : { main: 2 }, 240, fail),
    ...(fail ? [] : node('tag', 'Tag small', { main: 1 }, 2)),
    fail
      ? ev({
          type: 'workflow:failed' as const,
          durationMs: 440,
          error: { message: 'Slack answered 401 Unauthorized', code: 'HTTP_401' },
        })
      : ev({ type: 'workflow:completed' as const, durationMs: 440, output: {} }),
  ] as EngineEvent[];
}

/** Items as the last run of "Fetch orders" returned them. */
export const sampleItems = [
  { json: { id: 1001, total: 250, customer: { name: 'Ada', email: 'ada@example.com' }, tags: ['vip'] } },
  { json: { id: 1002, total: 120, customer: { name: 'Grace', email: 'grace@example.com' }, tags: [] } },
  { json: { id: 1003, total: 40, customer: { name: 'Linus', email: 'linus@example.com' }, tags: ['new'] } },
];
