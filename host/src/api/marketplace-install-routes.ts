import { Type } from '@sinclair/typebox';
import type { JsonObject } from '@weft/engine';
import { assertConnectorAllowed } from '../auth/connector-allow-list.js';
import type { Principal } from '../http/principal.js';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, JsonObjectSchema, VersionNumber, WorkspaceParams } from '../http/schemas.js';
import { hostMarketplace } from '../runtime/host-marketplace.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { diffWorkflows } from '../workflows/workflow-diff.js';
import { saveWorkflow, setWorkflowActive } from '../workflows/workflow-service.js';
import { Text } from './marketplace-schemas.js';

const CredentialChoice = Type.Union([
  Type.Object({ credentialId: IdString }, { additionalProperties: false }),
  Type.Object(
    { create: Type.Object({ name: Text(200, 1), data: JsonObjectSchema }, { additionalProperties: false }) },
    { additionalProperties: false },
  ),
]);
const InstallParams = Type.Object({ workspaceId: IdString, installId: IdString });
type Choice = { credentialId: string } | { create: { name: string; data: Record<string, unknown> } };

/**
 * Resolves the install wizard's credential choices: existing credentials must be in the workspace
 * and of the type asked for; new ones are created (after the rest of the install checked out).
 */
async function credentialIds(
  rt: HostRuntime,
  workspaceId: string,
  principal: Principal,
  choices: Record<string, Choice>,
  create: boolean,
): Promise<{ ids: Record<string, string>; created: string[] }> {
  const ids: Record<string, string> = {};
  const created: string[] = [];
  for (const [type, choice] of Object.entries(choices)) {
    const where = { in: 'body', path: `/credentials/${type}` };
    if ('credentialId' in choice) {
      const info = await rt.vault.get(workspaceId, choice.credentialId);
      if (!info || info.type !== type)
        throw new ProblemError(
          400,
          'credential-mismatch',
          `Credential "${choice.credentialId}" is not a ${type} credential of this workspace`,
          {
            errors: [{ ...where, message: info ? `It is a ${info.type} credential` : 'No such credential' }],
          },
        );
      ids[type] = info.id;
    } else {
      assertConnectorAllowed(principal, type);
      if (!create) {
        ids[type] = 'pending';
        continue;
      }
      try {
        const info = await rt.vault.create({
          workspaceId,
          type,
          name: choice.create.name,
          data: choice.create.data as JsonObject,
        });
        ids[type] = info.id;
        created.push(info.id);
      } catch (e) {
        throw new ProblemError(422, 'invalid-credential-data', (e as Error).message, {
          errors: [{ ...where, message: (e as Error).message }],
        });
      }
    }
  }
  return { ids, created };
}

/** Installing templates into a workspace, listing installs, and upgrading one with a diff. */
export function marketplaceInstallRoutes(rt: HostRuntime): AnyRoute[] {
  const mp = () => hostMarketplace(rt);
  return [
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/marketplace/install',
      summary:
        'Install a template as a new workflow: map each credential type to an existing or new credential, fill inputs',
      tag: 'marketplace',
      auth: 'write',
      scope: 'workflows',
      status: 201,
      params: WorkspaceParams,
      body: Type.Object(
        {
          templateId: IdString,
          version: Type.Optional(VersionNumber),
          name: Type.Optional(Text(300, 1)),
          credentials: Type.Optional(
            Type.Record(Type.String({ pattern: '^[A-Za-z0-9._-]{1,200}$' }), CredentialChoice),
          ),
          inputs: Type.Optional(JsonObjectSchema),
          activate: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      handler: async ({ params, body, principal }) => {
        const ws = params.workspaceId;
        const { market } = mp();
        const choices = (body.credentials ?? {}) as Record<string, Choice>;
        const inputs = body.inputs ?? {};
        const userId = principal.userId;
        // A central marketplace's template: copied here if free or paid for (the licence checked there now).
        const { central } = mp();
        if (central && (await central.serves(body.templateId)))
          if ((await central.sync(userId, body.templateId)) === 'unpaid')
            throw new ProblemError(
              402,
              'purchase-required',
              'Buy this template on the marketplace before installing it',
            );
        const dry = await credentialIds(rt, ws, principal, choices, false);
        await market.prepareInstall(
          userId,
          body.templateId,
          { credentials: dry.ids, inputs, ...(body.name ? { name: body.name } : {}) },
          body.version,
        );
        const { ids, created } = await credentialIds(rt, ws, principal, choices, true);
        const { version, workflow } = await market.prepareInstall(
          userId,
          body.templateId,
          { credentials: ids, inputs, ...(body.name ? { name: body.name } : {}) },
          body.version,
        );
        const stored = await saveWorkflow(rt, ws, workflow, { mode: 'create' });
        const install = await market.recordInstall({
          templateId: body.templateId,
          version: version.version,
          workspaceId: ws,
          userId,
          workflowId: stored.id,
        });
        const active = body.activate ? (await setWorkflowActive(rt, ws, stored.id, true)).active : false;
        return { install, workflowId: stored.id, active, createdCredentials: created };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/marketplace/installs',
      summary: 'Templates installed in the workspace, with the latest version of each',
      tag: 'marketplace',
      auth: 'read',
      scope: 'workflows',
      params: WorkspaceParams,
      handler: async ({ params }) => {
        const { store } = mp().market;
        const installs = await store.listInstalls(params.workspaceId);
        const items = await Promise.all(
          installs.map(async (i) => {
            const latest = (await store.getTemplate(i.templateId))?.latestVersion ?? i.version;
            return { ...i, latestVersion: latest, upgradeAvailable: latest > i.version };
          }),
        );
        return { items };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/marketplace/installs/:installId/upgrade',
      summary: 'Upgrade an installed template to a newer version (dryRun: only the diff and changelog)',
      tag: 'marketplace',
      auth: 'write',
      scope: 'workflows',
      params: InstallParams,
      body: Type.Object(
        {
          toVersion: Type.Optional(VersionNumber),
          inputs: Type.Optional(JsonObjectSchema),
          dryRun: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      handler: async ({ params, body, principal }) => {
        const ws = params.workspaceId;
        const { market } = mp();
        const install = await market.store.getInstall(ws, params.installId);
        if (!install) throw new ProblemError(404, 'install-not-found', `Install "${params.installId}" not found`);
        const current = await rt.engine.workflows.get(ws, install.workflowId);
        if (!current)
          throw new ProblemError(
            404,
            'workflow-not-found',
            `The installed workflow "${install.workflowId}" was deleted`,
          );
        const plan = await market.prepareUpgrade(
          principal.userId,
          install,
          current.workflow,
          body.inputs ?? {},
          body.toVersion,
        );
        const changelog = (await market.store.listVersions(install.templateId)).filter(
          (v) => v.version > plan.from.version && v.version <= plan.to.version,
        );
        const next = { ...plan.workflow, id: install.workflowId };
        const diff = diffWorkflows(current.workflow, next);
        const answer = {
          from: plan.from.version,
          to: plan.to.version,
          changelog,
          diff,
          workflowId: install.workflowId,
        };
        if (body.dryRun) return { ...answer, upgraded: false };
        const stored = await saveWorkflow(rt, ws, next, { mode: 'update', id: install.workflowId });
        await market.store.updateInstall(ws, install.id, plan.to.version, Date.now());
        return { ...answer, upgraded: true, workflowVersion: stored.version };
      },
    }),
  ];
}
