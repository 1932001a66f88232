import type { EngineEvent, ExecutionRecord, ExecutionStatus, StoredWorkflow } from '@weft/engine';
import { buildSchema, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema } from 'graphql/index.js';
import { subjectSealing } from '../compliance/subject-sealing.js';
import { setWorkflowActive } from '../workflows/workflow-service.js';
import { type GraphqlContext, PublicGraphqlError } from './graphql-context.js';
import { hubEvents } from './hub-events.js';

/** The schema in SDL; `cost` in descriptions is what the cost limit charges per item. */
export const GRAPHQL_SDL = /* GraphQL */ `
  "The signed-in user."
  type User { id: ID! email: String! name: String }

  type Workspace {
    id: ID!
    name: String!
    "The caller's role here."
    role: String!
    "Workflows, newest first (cost: first x fields)."
    workflows(first: Int = 20): [Workflow!]!
    workflow(id: ID!): Workflow
    "Executions, newest first (cost: first x fields)."
    executions(first: Int = 20, workflowId: ID, status: [String!]): [Execution!]!
    execution(id: ID!): Execution
    "Credential metadata: never secrets."
    credentials: [Credential!]!
  }

  type Workflow {
    id: ID!
    name: String!
    version: Int!
    active: Boolean!
    nodeCount: Int!
    createdAt: Float!
    executions(first: Int = 20, status: [String!]): [Execution!]!
  }

  type Execution {
    id: ID!
    workflowId: ID!
    workflowVersion: Int!
    status: String!
    mode: String!
    startedAt: Float!
    finishedAt: Float
    errorMessage: String
    "The workflow version it ran."
    workflow: Workflow
  }

  type Credential { id: ID! name: String! type: String! status: String! createdAt: Float! fields: [String!]! }

  type NodeType { type: String! displayName: String! description: String! group: String! }

  "An engine event of an execution (workflow:started, node:executed, workflow:completed, ...)."
  type ExecutionEvent {
    id: ID!
    type: String!
    executionId: ID!
    workflowId: ID!
    at: Float!
    nodeId: String
    nodeName: String
    "The engine event as JSON."
    json: String!
  }

  type Query {
    me: User!
    workspaces: [Workspace!]!
    workspace(id: ID!): Workspace
    nodeTypes: [NodeType!]!
  }

  type Mutation {
    activateWorkflow(workspaceId: ID!, id: ID!): Workflow!
    deactivateWorkflow(workspaceId: ID!, id: ID!): Workflow!
  }

  type Subscription {
    "Live events of a workspace's executions (one execution with executionId)."
    executionEvents(workspaceId: ID!, executionId: ID): ExecutionEvent!
  }
`;

type R = GraphQLFieldResolver<unknown, GraphqlContext, Record<string, unknown>>;
type Ws = { id: string; name: string; role: string };

const MAX_PAGE = 100;
const first = (n: unknown) => Math.max(0, Math.min(MAX_PAGE, typeof n === 'number' ? n : 20));

function workflowView(w: StoredWorkflow) {
  return {
    workspaceId: w.workspaceId,
    id: w.id,
    name: w.workflow.name,
    version: w.version,
    active: w.active,
    nodeCount: w.workflow.nodes.length,
    createdAt: w.createdAt,
  };
}

function executionView(e: ExecutionRecord) {
  return { ...e, finishedAt: e.finishedAt ?? null, errorMessage: e.error?.message ?? null };
}

async function executions(
  ctx: GraphqlContext,
  workspaceId: string,
  args: { first?: unknown; workflowId?: unknown; status?: unknown },
) {
  await ctx.allow(workspaceId, 'read', 'executions');
  const rt = await ctx.home(workspaceId);
  const page = await rt.executions.list(workspaceId, {
    limit: first(args.first),
    ...(typeof args.workflowId === 'string' ? { workflowId: args.workflowId } : {}),
    ...(Array.isArray(args.status) ? { status: args.status as ExecutionStatus[] } : {}),
  });
  const open = await subjectSealing(rt.h).executions.openRecords(page.items);
  return open.map(executionView);
}

const resolvers: Record<string, Record<string, R>> = {
  Query: {
    me: async (_s, _a, ctx) => {
      const u = await ctx.rt.identity.userById(ctx.principal.userId);
      if (!u) throw new PublicGraphqlError('The signed-in user no longer exists', 'UNAUTHENTICATED');
      return { id: u.id, email: u.email, name: u.name };
    },
    workspaces: async (_s, _a, ctx) => {
      const p = ctx.principal;
      const all = await ctx.rt.identity.workspacesOf(p.userId);
      const only = p.kind === 'apiKey' ? p.key.workspaceId : p.scope?.workspaceId;
      const visible = only === undefined ? all : all.filter((w) => w.id === only);
      return Promise.all(visible.map(async (w) => ({ id: w.id, name: w.name, role: await ctx.role(w.id) })));
    },
    workspace: async (_s, args, ctx) => {
      const id = String(args.id);
      const role = await ctx.allow(id, 'read', 'workspace');
      const ws = await ctx.rt.identity.workspace(id);
      return ws ? { id: ws.id, name: ws.name, role } : null;
    },
    nodeTypes: (_s, _a, ctx) =>
      ctx.rt.registry.describe().map((t) => ({
        type: t.type,
        displayName: t.displayName,
        description: t.description,
        group: t.group,
      })),
  },
  Workspace: {
    workflows: async (ws, args, ctx) => {
      const { id } = ws as Ws;
      await ctx.allow(id, 'read', 'workflows');
      const page = await (await ctx.home(id)).engine.workflows.list(id, { limit: first(args.first) });
      return page.items.map(workflowView);
    },
    workflow: async (ws, args, ctx) => {
      const { id } = ws as Ws;
      await ctx.allow(id, 'read', 'workflows');
      const w = await (await ctx.home(id)).engine.workflows.get(id, String(args.id));
      return w ? workflowView(w) : null;
    },
    executions: (ws, args, ctx) => executions(ctx, (ws as Ws).id, args),
    execution: async (ws, args, ctx) => {
      const { id } = ws as Ws;
      await ctx.allow(id, 'read', 'executions');
      const rt = await ctx.home(id);
      const e = await rt.executions.get(id, String(args.id));
      if (!e) return null;
      const [open] = await subjectSealing(rt.h).executions.openRecords([e]);
      return executionView(open as ExecutionRecord);
    },
    credentials: async (ws, _a, ctx) => {
      const { id } = ws as Ws;
      await ctx.allow(id, 'read', 'credentials');
      return (await (await ctx.home(id)).vault.list(id)).map((c) => ({
        id: c.id,
        name: c.name,
        type: c.type,
        status: c.status,
        createdAt: c.createdAt,
        fields: c.fields,
      }));
    },
  },
  Workflow: {
    executions: (w, args, ctx) => {
      const wf = w as { workspaceId: string; id: string };
      return executions(ctx, wf.workspaceId, { ...args, workflowId: wf.id });
    },
  },
  Execution: {
    workflow: async (e, _a, ctx) => {
      const x = e as ExecutionRecord;
      await ctx.allow(x.workspaceId, 'read', 'workflows');
      const w = await (await ctx.home(x.workspaceId)).engine.workflows.getVersion(
        x.workspaceId,
        x.workflowId,
        x.workflowVersion,
      );
      return w ? workflowView(w) : null;
    },
  },
  Mutation: {
    activateWorkflow: (_s, args, ctx) => setActive(ctx, args, true),
    deactivateWorkflow: (_s, args, ctx) => setActive(ctx, args, false),
  },
};

async function setActive(ctx: GraphqlContext, args: Record<string, unknown>, active: boolean) {
  const ws = String(args.workspaceId);
  await ctx.allow(ws, 'write', 'workflows');
  return workflowView(await setWorkflowActive(await ctx.home(ws), ws, String(args.id), active));
}

function eventView(id: string, e: EngineEvent) {
  return {
    id,
    type: e.type,
    executionId: e.executionId,
    workflowId: e.workflowId,
    at: e.at,
    nodeId: 'nodeId' in e ? e.nodeId : null,
    nodeName: 'nodeName' in e ? e.nodeName : null,
    json: JSON.stringify(e),
  };
}

/**
 * The host's GraphQL schema: workspaces, workflows, executions, credential metadata and node
 * types over the same services and permission checks as the REST API, two mutations and the
 * `executionEvents` subscription.
 *
 * @example
 * ```ts
 * const schema = buildHostSchema();
 * ```
 */
export function buildHostSchema(): GraphQLSchema {
  const schema = buildSchema(GRAPHQL_SDL);
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const [name, resolve] of Object.entries(fields)) {
      const field = type.getFields()[name];
      if (!field) throw new Error(`No field ${typeName}.${name} in the GraphQL schema`);
      field.resolve = resolve;
    }
  }
  const sub = (schema.getType('Subscription') as GraphQLObjectType).getFields().executionEvents;
  if (!sub) throw new Error('No Subscription.executionEvents');
  sub.subscribe = async (_s, args: Record<string, unknown>, ctx: GraphqlContext) => {
    const ws = String(args.workspaceId);
    await ctx.allow(ws, 'read', 'executions');
    return hubEvents(
      (await ctx.home(ws)).hub,
      ws,
      typeof args.executionId === 'string' ? args.executionId : undefined,
      (h) => ({
        executionEvents: eventView(h.id, h.event),
      }),
    );
  };
  return schema;
}
