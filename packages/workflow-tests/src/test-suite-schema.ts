import { type Static, Type } from '@sinclair/typebox';

const NodeName = Type.String({ minLength: 1, maxLength: 200, description: 'A node name of the workflow' });
const Port = Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "Output port (default 'main')" }));
const Json = Type.Unknown();
const ItemJson = Type.Record(Type.String(), Type.Unknown());
/** An item as nodes pass them: `{ json: {...} }`. */
export const TestItemSchema = Type.Object({ json: ItemJson, binary: Type.Optional(Type.Record(Type.String(), Json)) });
const Items = Type.Array(TestItemSchema, { maxItems: 10_000 });

/**
 * Which value an assertion looks at: the items a node output on `port`. With `item`, that one
 * item's `json`; without, the list of every item's `json`. `path` (`a.b[0].c`) then reads inside
 * each of them.
 */
const Target = {
  node: NodeName,
  port: Port,
  item: Type.Optional(Type.Integer({ minimum: 0 })),
  path: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
};

const Assertions = [
  Type.Object(
    { kind: Type.Literal('equals'), ...Target, value: Json },
    { additionalProperties: false, description: 'The value equals `value` (deep, key order ignored)' },
  ),
  Type.Object(
    { kind: Type.Literal('contains'), ...Target, value: Json },
    {
      additionalProperties: false,
      description:
        'Objects hold at least the expected keys (recursively), arrays hold each expected element, strings hold the expected text',
    },
  ),
  Type.Object(
    { kind: Type.Literal('schema'), ...Target, schema: Type.Record(Type.String(), Json) },
    { additionalProperties: false, description: 'The value matches a JSON Schema (draft 2020-12)' },
  ),
  Type.Object(
    {
      kind: Type.Literal('expression'),
      node: NodeName,
      port: Port,
      expression: Type.String({ minLength: 1, maxLength: 2000 }),
    },
    {
      additionalProperties: false,
      description:
        'A Weft expression (`$json.total > 100`, `{{ ... }}` accepted) true for every output item, run in the sandbox',
    },
  ),
  Type.Object(
    {
      kind: Type.Literal('itemCount'),
      node: NodeName,
      port: Port,
      count: Type.Optional(Type.Integer({ minimum: 0 })),
      min: Type.Optional(Type.Integer({ minimum: 0 })),
      max: Type.Optional(Type.Integer({ minimum: 0 })),
    },
    { additionalProperties: false, description: 'How many items the node output' },
  ),
  Type.Object(
    { kind: Type.Literal('path'), nodes: Type.Array(NodeName, { minItems: 1, maxItems: 1000 }) },
    { additionalProperties: false, description: 'The nodes that ran, in order' },
  ),
  Type.Object(
    { kind: Type.Literal('route'), node: NodeName, port: Type.String({ minLength: 1, maxLength: 100 }) },
    {
      additionalProperties: false,
      description: 'An IF/switch (any node) sent items on this output port only',
    },
  ),
  Type.Object(
    {
      kind: Type.Literal('error'),
      node: Type.Optional(NodeName),
      code: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
      message: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    },
    {
      additionalProperties: false,
      description: 'The execution fails (at `node`, with `code`, with a message containing `message`)',
    },
  ),
] as const;

/** One assertion of a test case (`kind` tells which). */
export const AssertionSchema = Type.Union([...Assertions]);
export type Assertion = Static<typeof AssertionSchema>;
/** The assertion kinds. */
export type AssertionKind = Assertion['kind'];

/** One test case: a pinned trigger input, mocked nodes and assertions. */
export const TestCaseSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    input: Type.Optional(Items),
    startNode: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Trigger node (name or id)' })),
    now: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 40,
        description: 'ISO date-time of `$now` (default 2026-01-01T00:00:00Z)',
      }),
    ),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4_294_967_295, description: 'Seed of the random source' })),
    mocks: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Items, {
        description: 'Items to use as a node main output instead of running it (by node name)',
      }),
    ),
    assertions: Type.Array(AssertionSchema, { maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type TestCase = Static<typeof TestCaseSchema>;

/** A workflow's test suite. */
export const TestSuiteSchema = Type.Object(
  {
    gate: Type.Optional(Type.Boolean({ description: 'Refuse activation while the suite fails' })),
    cases: Type.Array(TestCaseSchema, { maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type TestSuite = Static<typeof TestSuiteSchema>;
