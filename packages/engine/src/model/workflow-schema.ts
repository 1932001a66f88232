import { type Static, Type } from '@sinclair/typebox';
import type { JsonObject } from './json.js';

/**
 * The workflow model, written once as TypeBox schemas: the TypeScript types below and the
 * published JSON Schema (`@weft/engine/schema.json`) are both derived from these values.
 */

const Id = Type.String({ minLength: 1, maxLength: 200, description: 'Stable identifier, unique within the workflow' });

export const RetryPolicySchema = Type.Object(
  {
    attempts: Type.Integer({ minimum: 1, maximum: 100, description: 'Total tries, including the first' }),
    baseMs: Type.Optional(Type.Integer({ minimum: 0, description: 'First backoff delay; doubles each retry' })),
    capMs: Type.Optional(Type.Integer({ minimum: 0, description: 'Largest backoff delay' })),
  },
  { $id: 'RetryPolicy', additionalProperties: false, description: 'Exponential backoff with full jitter' },
);

export const OnErrorSchema = Type.Union([Type.Literal('stop'), Type.Literal('continue'), Type.Literal('route')], {
  description:
    "stop: fail the execution; continue: pass the input items on with an `error` field; route: send them to the node's `error` output",
});

export const WorkflowNodeSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Unique, human-readable; used by $("name")' }),
    type: Type.String({ minLength: 1, description: 'Registered node type, e.g. `weft.if`' }),
    typeVersion: Type.Optional(Type.Integer({ minimum: 1 })),
    parameters: Type.Record(Type.String(), Type.Unknown(), { default: {} }),
    position: Type.Optional(Type.Tuple([Type.Number(), Type.Number()])),
    retry: Type.Optional(RetryPolicySchema),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
    onError: Type.Optional(OnErrorSchema),
    disabled: Type.Optional(Type.Boolean({ description: 'A disabled node passes its main input through unchanged' })),
    credentials: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: 'Slot name -> credential id' }),
    ),
    notes: Type.Optional(Type.String()),
  },
  { $id: 'WorkflowNode', additionalProperties: false },
);

export const ConnectionSchema = Type.Object(
  {
    source: Type.String({ minLength: 1, description: 'Source node id' }),
    sourcePort: Type.Optional(Type.String({ minLength: 1, default: 'main' })),
    target: Type.String({ minLength: 1, description: 'Target node id' }),
    targetPort: Type.Optional(Type.String({ minLength: 1, default: 'main' })),
  },
  { $id: 'Connection', additionalProperties: false },
);

export const WorkflowSettingsSchema = Type.Object(
  {
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, description: 'Wall-clock limit for one execution' })),
    errorWorkflow: Type.Optional(Type.String({ description: 'Workflow id run when an execution fails' })),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, description: 'Executions of this workflow at once' })),
    timezone: Type.Optional(Type.String()),
    saveData: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('errors'), Type.Literal('none')])),
  },
  { $id: 'WorkflowSettings', additionalProperties: false },
);

export const StickyNoteSchema = Type.Object(
  {
    id: Id,
    text: Type.String(),
    position: Type.Tuple([Type.Number(), Type.Number()]),
    size: Type.Optional(Type.Tuple([Type.Number(), Type.Number()])),
    color: Type.Optional(Type.String()),
  },
  { $id: 'StickyNote', additionalProperties: false },
);

const BinaryRefSchema = Type.Object(
  {
    id: Type.String(),
    mimeType: Type.String(),
    fileName: Type.Optional(Type.String()),
    size: Type.Number(),
    sha256: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** One item as pinned in a document: a JSON object and optional binary references. */
export const PinnedItemSchema = Type.Object(
  {
    json: Type.Unsafe<JsonObject>(Type.Record(Type.String(), Type.Unknown())),
    binary: Type.Optional(Type.Record(Type.String(), BinaryRefSchema)),
  },
  { $id: 'PinnedItem', additionalProperties: false },
);

export const WorkflowSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: Type.Optional(Id),
    name: Type.String({ minLength: 1, maxLength: 300 }),
    description: Type.Optional(Type.String()),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'Immutable version number, set by the store' })),
    nodes: Type.Array(WorkflowNodeSchema),
    connections: Type.Array(ConnectionSchema, { default: [] }),
    settings: Type.Optional(WorkflowSettingsSchema),
    notes: Type.Optional(Type.Array(StickyNoteSchema)),
    tags: Type.Optional(Type.Array(Type.String())),
    pinData: Type.Optional(
      Type.Record(Type.String(), Type.Array(PinnedItemSchema), {
        description:
          'Output items pinned per node id while building. Only test, debug and step runs use them, in place of running the node; production runs ignore them',
      }),
    ),
  },
  {
    $id: 'https://weft.dev/schemas/workflow.json',
    title: 'Weft workflow',
    additionalProperties: false,
  },
);

export type RetryPolicy = Static<typeof RetryPolicySchema>;
export type OnError = Static<typeof OnErrorSchema>;
export type WorkflowNode = Static<typeof WorkflowNodeSchema>;
export type Connection = Static<typeof ConnectionSchema>;
export type WorkflowSettings = Static<typeof WorkflowSettingsSchema>;
export type StickyNote = Static<typeof StickyNoteSchema>;

/**
 * A workflow document.
 *
 * @example
 * ```ts
 * const wf: Workflow = {
 *   name: 'Hello',
 *   nodes: [
 *     { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
 *     { id: 's', name: 'Greet', type: 'weft.set', parameters: { fields: [{ name: 'msg', value: 'Hi {{ $json.who }}' }] } },
 *   ],
 *   connections: [{ source: 't', target: 's' }],
 * };
 * ```
 */
export type Workflow = Static<typeof WorkflowSchema>;
