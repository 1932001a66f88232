import { Type } from '@sinclair/typebox';

/** Shared request/response schemas of the API (they also feed the OpenAPI document). */
export const IdString = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._:-]+$' });

export const WorkspaceParams = Type.Object({ workspaceId: IdString });
export const WorkflowParams = Type.Object({ workspaceId: IdString, workflowId: IdString });
export const ExecutionParams = Type.Object({ workspaceId: IdString, executionId: IdString });

/** A workflow version number: positive and within the database's 32-bit `integer` column. */
export const VersionNumber = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

/** `nextCursor` of a page ordered by a number alone, e.g. `1733500000000`. */
export const NumberCursor = Type.String({
  pattern: '^[0-9]{1,16}$',
  description: '`nextCursor` of the previous page',
});

/** `nextCursor` of a keyset page: epoch milliseconds and an id, e.g. `1733500000000:3f1c…`. */
export const KeysetCursor = Type.String({
  pattern: '^[0-9]{1,16}:[A-Za-z0-9._:-]{1,200}$',
  description: '`nextCursor` of the previous page',
});

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(NumberCursor),
});

export const JsonObjectSchema = Type.Record(Type.String(), Type.Unknown());

export const ItemSchema = Type.Object(
  { json: JsonObjectSchema, binary: Type.Optional(Type.Record(Type.String(), Type.Unknown())) },
  { additionalProperties: false },
);

/** Input items: an array of `{ json }` items. */
export const ItemsSchema = Type.Array(ItemSchema, { maxItems: 10_000 });

export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  code: Type.String({ description: 'Stable, machine-readable error code' }),
  detail: Type.String(),
  instance: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ in: Type.String(), path: Type.String(), message: Type.String() }))),
});

export const RoleSchema = Type.Union([
  Type.Literal('owner'),
  Type.Literal('admin'),
  Type.Literal('editor'),
  Type.Literal('operator'),
  Type.Literal('viewer'),
]);

export const SessionSchema = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.String(),
  expiresIn: Type.Integer(),
  user: Type.Object({
    id: Type.String(),
    email: Type.String(),
    name: Type.Union([Type.String(), Type.Null()]),
    mfaEnabled: Type.Boolean(),
  }),
});
