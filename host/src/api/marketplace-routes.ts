import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { TemplateSearch } from '@weft/engine';
import { previewOf, renderMarkdown } from '@weft/marketplace';
import type { Response } from 'express';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, WorkspaceParams } from '../http/schemas.js';
import { hostMarketplace } from '../runtime/host-marketplace.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { marketplaceCentralRoutes } from './marketplace-central-routes.js';
import { marketplaceInstallRoutes } from './marketplace-install-routes.js';
import { marketplacePaymentRoutes } from './marketplace-payment-routes.js';
import { marketplacePreviewRoutes } from './marketplace-preview-routes.js';
import { marketplaceReviewRoutes } from './marketplace-review-routes.js';
import {
  Currency,
  publicTemplate,
  SearchQuery,
  SearchResultSchema,
  Slugs,
  TemplateInputSchema,
  TemplateParams,
  TemplateSchema,
  Text,
} from './marketplace-schemas.js';

type Query = {
  text?: string;
  category?: string;
  connector?: string;
  pricing?: 'free' | 'paid';
  minRating?: number;
  sort?: 'popular' | 'newest' | 'rating';
  limit?: number;
  offset?: number;
};
const search = (q: Query, extra: Partial<TemplateSearch> = {}): TemplateSearch => ({
  ...q,
  limit: q.limit ?? 20,
  offset: q.offset ?? 0,
  ...extra,
});

/** Answers 304 when the client holds this body already, else sets the ETag and cache headers. */
function cacheable(
  req: { headers: Record<string, string | string[] | undefined> },
  res: Response,
  body: unknown,
): unknown {
  const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 32)}"`;
  res.setHeader('etag', etag);
  res.setHeader('cache-control', 'public, max-age=60, must-revalidate');
  const given = req.headers['if-none-match'];
  const tags = (Array.isArray(given) ? given.join(',') : (given ?? ''))
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''));
  if (tags.includes(etag) || tags.includes('*')) {
    res.status(304).end();
    return undefined;
  }
  return body;
}

/**
 * The template marketplace: browse and search with facets, template detail, publish from a
 * workspace's workflow, the public read-only catalogue (no auth, ETag) that other hosts read
 * through `WEFT_MARKETPLACE_URL`, and the install, review and payment routes.
 *
 * @example
 * ```ts
 * mountRoutes(router, marketplaceRoutes(runtime), runtime);
 * ```
 */
export function marketplaceRoutes(rt: HostRuntime): AnyRoute[] {
  const mp = () => hostMarketplace(rt);
  const detail = async (templateId: string, viewer: { userId: string; admin: boolean } | undefined) => {
    const { market } = mp();
    const template = await market.template(templateId, viewer);
    const [versions, latest, reviews] = await Promise.all([
      market.store.listVersions(templateId),
      market.store.getVersion(templateId),
      market.store.listReviews({ templateId, limit: 50 }),
    ]);
    return {
      template: viewer?.userId === template.creatorId ? template : publicTemplate(template),
      descriptionHtml: renderMarkdown(template.description),
      versions,
      inputs: latest?.inputs ?? [],
      credentials: latest?.credentials ?? [],
      preview: latest ? previewOf(latest.workflow) : { nodes: [], connections: [] },
      reviews: reviews.filter((r) => r.status !== 'hidden'),
      latest,
    };
  };
  return [
    defineRoute({
      method: 'get',
      path: '/marketplace/templates',
      summary: 'Browse and search templates: full text, facets (category, connector, free/paid, rating)',
      tag: 'marketplace',
      auth: 'user',
      query: Type.Composite([SearchQuery, Type.Object({ mine: Type.Optional(Type.Boolean()) })], {
        additionalProperties: false,
      }),
      response: SearchResultSchema,
      handler: async ({ query, principal }) => {
        const { mine, ...q } = query;
        const { remote } = mp();
        if (remote && !mine) return remote.search(q);
        const result = await mp().market.store.search(
          search(q, mine ? { creatorId: principal.userId, includeHidden: true } : {}),
        );
        return { ...result, templates: result.templates.map(publicTemplate) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/marketplace/templates/:templateId',
      summary: 'A template: listing, rendered description, versions, inputs, credentials, canvas preview, reviews',
      tag: 'marketplace',
      auth: 'user',
      params: TemplateParams,
      handler: async ({ params, principal }) => {
        const { remote, central, market } = mp();
        if (remote && central && (await central.serves(params.templateId))) {
          const found = await remote.template(params.templateId);
          if (!found) throw new ProblemError(404, 'template-not-found', `Template "${params.templateId}" not found`);
          const { version, ...rest } = found;
          const free = found.template.priceAmount === 0;
          // A paid one: the user's licences checked on the central marketplace, the workflow copied here once paid.
          const paid = !free && (await central.sync(principal.userId, params.templateId)) === 'installable';
          const installable = version ?? (paid ? await market.store.getVersion(params.templateId) : undefined);
          return {
            ...rest,
            inputs: installable?.inputs ?? [],
            credentials: installable?.credentials ?? [],
            canInstall: free ? !!version : paid,
          };
        }
        const admin = await mp().isAdmin(principal.userId);
        const { latest: _l, ...rest } = await detail(params.templateId, { userId: principal.userId, admin });
        return { ...rest, canInstall: await mp().market.canInstall(principal.userId, rest.template as never) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/marketplace/templates',
      summary:
        'Publish a workflow as a template, or a new version of one (credentials, secrets and pinned data stripped)',
      tag: 'marketplace',
      auth: 'write',
      scope: 'workflows',
      status: 201,
      params: WorkspaceParams,
      body: Type.Object(
        {
          workflowId: IdString,
          templateId: Type.Optional(IdString),
          name: Text(120, 1),
          summary: Text(300, 1),
          description: Text(20_000),
          categories: Slugs,
          tags: Slugs,
          inputs: Type.Optional(Type.Array(TemplateInputSchema, { maxItems: 50 })),
          changelog: Text(2000, 1),
          priceAmount: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_00 })),
          currency: Type.Optional(Currency),
          payoutAccountId: Type.Optional(Type.String({ pattern: '^acct_[A-Za-z0-9]{1,64}$' })),
        },
        { additionalProperties: false },
      ),
      response: Type.Object({
        template: TemplateSchema,
        version: Type.Integer(),
        removedSecrets: Type.Array(Type.String(), { description: 'JSON pointers of the secrets blanked out' }),
      }),
      handler: async ({ params, body, principal }) => {
        const stored = await rt.engine.workflows.get(params.workspaceId, body.workflowId);
        if (!stored) throw new ProblemError(404, 'workflow-not-found', `Workflow "${body.workflowId}" not found`);
        const { workflowId: _w, ...listing } = body;
        const { template, version, removedSecrets } = await mp().market.publish({
          ...listing,
          creatorId: principal.userId,
          workflow: stored.workflow,
          credentialType: async (id) => (await rt.vault.get(params.workspaceId, id))?.type,
        });
        return { template, version: version.version, removedSecrets };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/marketplace/catalogue',
      summary: 'Public read-only catalogue of listed templates (no auth; ETag, 304 when unchanged)',
      tag: 'marketplace',
      auth: 'none',
      query: SearchQuery,
      response: SearchResultSchema,
      handler: async ({ req, res, query }) => {
        const result = await mp().market.store.search(search(query));
        return cacheable(req, res, { ...result, templates: result.templates.map(publicTemplate) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/marketplace/catalogue/:templateId',
      summary: 'Public detail of a listed template; free ones include their latest workflow for other hosts to install',
      tag: 'marketplace',
      auth: 'none',
      params: TemplateParams,
      handler: async ({ req, res, params }) => {
        const { latest, ...rest } = await detail(params.templateId, undefined);
        const free = rest.template.priceAmount === 0;
        const { views: _v, ...template } = rest.template;
        return cacheable(req, res, { ...rest, template, ...(free && latest ? { version: latest } : {}) });
      },
    }),
    ...marketplaceInstallRoutes(rt),
    ...marketplaceReviewRoutes(rt),
    ...marketplacePaymentRoutes(rt),
    ...marketplacePreviewRoutes(rt),
    ...marketplaceCentralRoutes(rt),
  ];
}
