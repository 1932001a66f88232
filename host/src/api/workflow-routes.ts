import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { type Item, WorkflowSchema } from '@weft/engine';
import { listWorkflowVersions } from '@weft/sql';
import { stringify as toYaml } from 'yaml';
import { auditedMutation } from '../compliance/audited-mutation.js';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, ItemsSchema, PageQuery, VersionNumber, WorkflowParams, WorkspaceParams } from '../http/schemas.js';
import { checkPart } from '../http/validate-request.js';
import { HostError } from '../runtime/host-error.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { convertImport, importSource } from '../workflows/convert-import.js';
import { diffWorkflows } from '../workflows/workflow-diff.js';
import {
  allWorkflows,
  checkWorkflow,
  exportDocument,
  saveWorkflow,
  setWorkflowActive,
} from '../workflows/workflow-service.js';
import { testSuiteStore } from '../workflows/workflow-tests.js';

const Workflow = WorkflowSchema as unknown as TSchema;
const VersionParams = Type.Object({
  workspaceId: IdString,
  workflowId: IdString,
  version: VersionNumber,
});
const PinData = Type.Record(Type.String(), ItemsSchema);

async function required(rt: HostRuntime, ws: string, id: string) {
  const stored = await rt.engine.workflows.get(ws, id);
  if (!stored) throw new ProblemError(404, 'workflow-not-found', `Workflow "${id}" not found`);
  return stored;
}

const summary = (s: {
  id: string;
  version: number;
  active: boolean;
  createdAt: number;
  workflow: { name: string; tags?: string[]; description?: string };
}) => ({
  id: s.id,
  name: s.workflow.name,
  version: s.version,
  active: s.active,
  updatedAt: s.createdAt,
  ...(s.workflow.tags ? { tags: s.workflow.tags } : {}),
  ...(s.workflow.description ? { description: s.workflow.description } : {}),
});

const WeftImport = Type.Object({
  workflows: Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1, maxItems: 1000 }),
});

function weftDocuments(rt: HostRuntime, body: unknown) {
  return checkPart<Static<typeof WeftImport>>('body', WeftImport, body).workflows.map((w, i) => {
    const { active, ...doc } = w;
    try {
      return { doc: checkWorkflow(rt, doc, `body/workflows/${i}`), active: active === true };
    } catch (e) {
      if (e instanceof HostError) throw e.withMessage(`workflows[${i}]: ${e.message}`);
      throw e;
    }
  });
}

/**
 * Workflows: CRUD with immutable versions, diff, activate/deactivate, duplicate, import/export,
 * manual runs and test/debug runs (pin data, stop after a node).
 *
 * @example
 * ```ts
 * mountRoutes(router, workflowRoutes(runtime), runtime);
 * ```
 */
export function workflowRoutes(rt: HostRuntime): AnyRoute[] {
  const base = '/workspaces/:workspaceId/workflows';
  const one = `${base}/:workflowId`;
  return [
    defineRoute({
      method: 'get',
      path: base,
      summary: 'List workflows (latest versions), newest first',
      tag: 'workflows',
      scope: 'workflows',
      auth: 'read',
      params: WorkspaceParams,
      query: Type.Object({ ...PageQuery.properties, q: Type.Optional(Type.String({ maxLength: 200 })) }),
      handler: async ({ params, query }) => {
        const page = await rt.engine.workflows.list(params.workspaceId, {
          limit: query.limit ?? 50,
          ...(query.cursor ? { cursor: query.cursor } : {}),
        });
        const q = query.q?.toLowerCase();
        const items = page.items
          .map(summary)
          .filter((w) => !q || w.name.toLowerCase().includes(q) || w.tags?.some((t) => t.toLowerCase().includes(q)));
        return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
      },
    }),
    defineRoute({
      method: 'post',
      path: base,
      summary: 'Create a workflow (version 1)',
      tag: 'workflows',
      scope: 'workflows',
      auth: 'write',
      status: 201,
      params: WorkspaceParams,
      body: Workflow,
      handler: async ({ params, body }) => saveWorkflow(rt, params.workspaceId, body, { mode: 'create' }),
    }),
    defineRoute({
      method: 'post',
      path: `${base}/import`,
      summary:
        'Import workflows: a Weft export document, an n8n export or a Node-RED flows.json (converted, with a report); existing ids get a new version; dryRun=true only checks',
      tag: 'workflows',
      scope: 'workflows',
      auth: 'write',
      params: WorkspaceParams,
      query: Type.Object({
        from: Type.Optional(Type.Union([Type.Literal('weft'), Type.Literal('n8n'), Type.Literal('node-red')])),
        dryRun: Type.Optional(Type.Boolean()),
      }),
      body: Type.Unknown({
        description: 'A Weft export document ({ workflows: [...] }), an n8n workflow export or a Node-RED flows.json',
      }),
      handler: async ({ params, query, body }) => {
        const format = importSource(body, query.from);
        const converted = format === 'weft' ? undefined : convertImport(rt, body, format);
        const docs = converted ? converted.workflows.map((doc) => ({ doc, active: false })) : weftDocuments(rt, body);
        const report = converted ? { report: converted.report } : {};
        if (query.dryRun) return { format, ...report, workflows: docs.map((d) => d.doc), items: [] };
        const items = [];
        for (const { doc, active } of docs) {
          const stored = await saveWorkflow(rt, params.workspaceId, doc, { mode: 'upsert' });
          if (active && !stored.active) await setWorkflowActive(rt, params.workspaceId, stored.id, true);
          items.push({ ...summary(stored), active: active || stored.active });
        }
        return { format, ...report, items };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/export',
      summary: 'Export every workflow of the workspace (JSON or YAML)',
      tag: 'workflows',
      scope: 'workflows',
      auth: 'read',
      params: WorkspaceParams,
      query: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('yaml')])) }),
      handler: async ({ params, query, res }) => {
        const ws = await rt.identity.workspace(params.workspaceId);
        const doc = {
          weft: 1,
          workspace: { id: ws?.id, name: ws?.name },
          workflows: (await allWorkflows(rt, params.workspaceId)).map(exportDocument),
        };
        if (query.format === 'yaml') {
          res.type('application/yaml').send(toYaml(doc));
          return;
        }
        return doc;
      },
    }),
    defineRoute({
      method: 'get',
      path: one,
      summary: 'Get a workflow (latest version)',
      tag: 'workflows',
      scope: 'workflows',
      auth: 'read',
      params: WorkflowParams,
      handler: async ({ params }) => required(rt, params.workspaceId, params.workflowId),
    }),
    defineRoute({
      method: 'put',
      path: one,
      summary: 'Save a new version of a workflow',
      tag: 'workflows',
      scope: 'workflows',
      auth: 'write',
      params: WorkflowParams,
      body: Workflow,
      handler: async ({ params, body }) =>
        saveWorkflow(rt, params.workspaceId, body, { mode: 'update', id: params.workflowId }),
    }),
    defineRoute({
      method: 'delete',
      path: one,
      summary: 'Delete a workflow, its versions and its test suite',
      tag: 'workflows',
      scope: 'workflows',
      auth: 'write',
      params: WorkflowParams,
      handler: async ({ params }) => {
        if (!(await auditedMutation(rt, (s) => s.workflows.delete(params.workspaceId, params.workflowId)))) {
          throw new ProblemError(404, 'workflow-not-found', `Workflow "${params.workflowId}" not found`);
        }
        await rt.webhooks.remove(params.workspaceId, params.workflowId);
        await rt.scheduler.sync(params.workspaceId, params.workflowId);
        await rt.events.remove(params.workspaceId, params.workflowId);
        await testSuiteStore(rt).delete(params.workspaceId, params.workflowId);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: `${one}/versions`,
      summary: 'List versions, newest first',
      tag: 'workflows',
      scope: 'workflows',
      auth: 'read',
      params: WorkflowParams,
      handler: async ({ params }) => {
        await required(rt, params.workspaceId, params.workflowId);
        return { items: await listWorkflowVersions(rt.h, params.workspaceId, params.workflowId) };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${one}/versions/:version`,
      summary: 'Get one immutable version',
      tag: 'workflows',
      scope: 'workflows',
      auth: 'read',
      params: VersionParams,
      handler: async ({ params }) => {
        const v = await rt.engine.workflows.getVersion(params.workspaceId, params.workflowId, params.version);
        if (!v)
          throw new ProblemError(
            404,
            'version-not-found',
            `Version ${params.version} of workflow "${params.workflowId}" not found`,
          );
        return v;
      },
    }),
    defineRoute({
      method: 'get',
      path: `${one}/diff`,
      summary: 'Diff two versions (default: the previous and the latest)',
      tag: 'workflows',
      scope: 'workflows',
      auth: 'read',
      params: WorkflowParams,
      query: Type.Object({
        from: Type.Optional(VersionNumber),
        to: Type.Optional(VersionNumber),
      }),
      handler: async ({ params, query }) => {
        const latest = await required(rt, params.workspaceId, params.workflowId);
        const to = query.to ?? latest.version;
        const from = query.from ?? Math.max(1, to - 1);
        const [a, b] = await Promise.all([
          rt.engine.workflows.getVersion(params.workspaceId, params.workflowId, from),
          rt.engine.workflows.getVersion(params.workspaceId, params.workflowId, to),
        ]);
        if (!a)
          throw new ProblemError(404, 'version-not-found', `Version ${from} not found`, {
            errors: [{ in: 'query', path: 'from', message: 'No such version' }],
          });
        if (!b)
          throw new ProblemError(404, 'version-not-found', `Version ${to} not found`, {
            errors: [{ in: 'query', path: 'to', message: 'No such version' }],
          });
        return { from, to, diff: diffWorkflows(a.workflow, b.workflow) };
      },
    }),
    ...(['activate', 'deactivate'] as const).map((action) =>
      defineRoute({
        method: 'post',
        path: `${one}/${action}`,
        summary: action === 'activate' ? 'Activate: its triggers (webhooks) go live' : 'Deactivate: its triggers stop',
        tag: 'workflows',
        scope: 'workflows',
        auth: 'write',
        params: WorkflowParams,
        handler: async ({ params }) =>
          summary(await setWorkflowActive(rt, params.workspaceId, params.workflowId, action === 'activate')),
      }),
    ),
    defineRoute({
      method: 'post',
      path: `${one}/duplicate`,
      summary: 'Copy a workflow under a new id (inactive)',
      tag: 'workflows',
      scope: 'workflows',
      auth: 'write',
      status: 201,
      params: WorkflowParams,
      body: Type.Object(
        { name: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })), id: Type.Optional(IdString) },
        { additionalProperties: false },
      ),
      handler: async ({ params, body }) => {
        const src = await required(rt, params.workspaceId, params.workflowId);
        const { id: _id, version: _v, ...doc } = src.workflow;
        return saveWorkflow(
          rt,
          params.workspaceId,
          { ...doc, name: body.name ?? `${src.workflow.name} (copy)` },
          { mode: 'create', ...(body.id ? { id: body.id } : {}) },
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: `${one}/export`,
      summary: 'Export one workflow (JSON or YAML)',
      tag: 'workflows',
      scope: 'workflows',
      auth: 'read',
      params: WorkflowParams,
      query: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('yaml')])) }),
      handler: async ({ params, query, res }) => {
        const doc = exportDocument(await required(rt, params.workspaceId, params.workflowId));
        if (query.format === 'yaml') {
          res.type('application/yaml').send(toYaml(doc));
          return;
        }
        return doc;
      },
    }),
    defineRoute({
      method: 'post',
      path: `${one}/run`,
      summary: 'Run the latest version now (202 with the execution id, or wait for the result)',
      tag: 'executions',
      scope: 'executions',
      auth: 'execute',
      params: WorkflowParams,
      body: Type.Object(
        {
          input: Type.Optional(ItemsSchema),
          wait: Type.Optional(Type.Boolean()),
          startNodeId: Type.Optional(IdString),
        },
        { additionalProperties: false },
      ),
      handler: async ({ params, body, res, req }) => {
        const stored = await required(rt, params.workspaceId, params.workflowId);
        if (body.startNodeId && !stored.workflow.nodes.some((n) => n.id === body.startNodeId)) {
          throw new ProblemError(
            400,
            'unknown-node',
            `No node with id "${body.startNodeId}" in workflow "${stored.id}"`,
            {
              errors: [{ in: 'body', path: '/startNodeId', message: 'Unknown node' }],
            },
          );
        }
        const key = req.headers['idempotency-key'];
        const launched = await rt.launcher.launch(stored, {
          mode: 'manual',
          ...(body.input ? { input: body.input as Item[] } : {}),
          ...(body.wait ? { wait: true } : {}),
          ...(body.startNodeId ? { startNodeId: body.startNodeId } : {}),
          ...(typeof key === 'string' && key ? { idempotencyKey: key.slice(0, 200) } : {}),
        });
        res.status(body.wait ? 200 : 202);
        return launched;
      },
    }),
    defineRoute({
      method: 'post',
      path: `${base}/test`,
      summary: 'Test run of a (possibly unsaved) workflow: pin data on nodes, stop after a node, step node by node',
      tag: 'debug',
      scope: 'executions',
      auth: 'write',
      params: WorkspaceParams,
      body: Type.Object(
        {
          workflow: Workflow,
          input: Type.Optional(ItemsSchema),
          pinData: Type.Optional(PinData),
          stopAfter: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 200,
              description: 'Node name to stop after (run up to a node / step)',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      handler: async ({ params, body }) => {
        const wf = checkWorkflow(rt, body.workflow, 'body/workflow');
        if (body.stopAfter && !wf.nodes.some((n) => n.name === body.stopAfter)) {
          throw new ProblemError(400, 'unknown-node', `No node named "${body.stopAfter}"`, {
            errors: [{ in: 'body', path: '/stopAfter', message: 'Unknown node name' }],
          });
        }
        const result = await rt.launcher.track(
          rt.engine.execute(
            { ...wf, id: wf.id ?? 'draft' },
            {
              workspaceId: params.workspaceId,
              mode: 'test',
              ...(body.input ? { input: body.input as Item[] } : {}),
              ...(body.pinData ? { pinData: body.pinData as Record<string, Item[]> } : {}),
              ...(body.stopAfter ? { stopAfter: body.stopAfter } : {}),
            },
          ),
          'test',
        );
        return { ...result, nodeRuns: await rt.engine.executions.listNodeRuns(result.executionId) };
      },
    }),
  ];
}
