import { Type } from '@sinclair/typebox';
import { detectFormat, ImportError, type ImportResult, importN8n, importNodeRed } from '@weft/importers';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { checkWorkflow, saveWorkflow } from '../workflows/workflow-service.js';

const FORMATS = { n8n: importN8n, 'node-red': importNodeRed } as const;

/**
 * Import from n8n and Node-RED: the body is an n8n export (one workflow, a list, `export:workflow
 * --all` output) or a Node-RED flows.json; `from` names the format, detected when omitted. The
 * answer holds the import report (every node exact / with differences / unsupported, untranslated
 * expressions with JSON pointers, credentials to create) and the stored workflows; with
 * `dryRun=true` nothing is stored and the converted workflows come back for review.
 *
 * @example
 * ```ts
 * mountRoutes(router, externalImportRoutes(runtime), runtime);
 * ```
 */
export function externalImportRoutes(rt: HostRuntime): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/workflows/import/external',
      summary: 'Import n8n or Node-RED workflows, converted, with a report (dryRun=true only converts)',
      tag: 'workflows',
      scope: 'workflows',
      auth: 'write',
      params: WorkspaceParams,
      query: Type.Object({
        from: Type.Optional(Type.Union([Type.Literal('n8n'), Type.Literal('node-red')])),
        dryRun: Type.Optional(Type.Boolean()),
      }),
      body: Type.Unknown({ description: 'An n8n workflow export or a Node-RED flows.json' }),
      handler: async ({ params, query, body }) => {
        const format = query.from ?? detectFormat(body);
        if (!format) {
          throw new ProblemError(
            400,
            'unknown-import-format',
            'The body is neither an n8n export nor a Node-RED flows.json',
            {
              errors: [{ in: 'body', path: '/', message: 'expected an n8n workflow export or a Node-RED flows.json' }],
            },
          );
        }
        let result: ImportResult;
        try {
          result = FORMATS[format](body, { nodeTypes: rt.registry });
        } catch (e) {
          if (!(e instanceof ImportError)) throw e;
          throw new ProblemError(400, 'invalid-import', `Not a ${format} export: ${e.message}`, {
            errors: [{ in: 'body', path: e.pointer || '/', message: e.reason }],
          });
        }
        const docs = result.workflows.map((w, i) => checkWorkflow(rt, w, `converted/workflows/${i}`));
        if (query.dryRun) return { format, report: result.report, workflows: docs, items: [] };
        const items = [];
        for (const doc of docs) {
          const stored = await saveWorkflow(rt, params.workspaceId, doc, { mode: 'upsert' });
          items.push({ id: stored.id, name: stored.workflow.name, version: stored.version });
        }
        return { format, report: result.report, items };
      },
    }),
  ];
}
