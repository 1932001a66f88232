import { Type } from '@sinclair/typebox';
import type { MarketplaceTemplate } from '@weft/engine';
import { IdString } from '../http/schemas.js';

export const TemplateParams = Type.Object({ templateId: IdString });
export const Text = (maxLength: number, minLength = 0) => Type.String({ minLength, maxLength });
const Slug = Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9][a-z0-9 ._-]*$' });
export const Slugs = Type.Array(Slug, { maxItems: 20 });
export const Currency = Type.String({ pattern: '^[A-Za-z]{3}$' });

export const SearchQuery = Type.Object(
  {
    text: Type.Optional(Text(200)),
    category: Type.Optional(Slug),
    connector: Type.Optional(Slug),
    pricing: Type.Optional(Type.Union([Type.Literal('free'), Type.Literal('paid')])),
    minRating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    sort: Type.Optional(Type.Union([Type.Literal('popular'), Type.Literal('newest'), Type.Literal('rating')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
  },
  { additionalProperties: false },
);

export const TemplateInputSchema = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }),
    label: Text(200, 1),
    nodeId: Text(200, 1),
    path: Type.String({ minLength: 2, maxLength: 500, pattern: '^/' }),
    secret: Type.Optional(Type.Boolean()),
    required: Type.Optional(Type.Boolean()),
    default: Type.Optional(Type.Unknown()),
    description: Type.Optional(Text(500)),
  },
  { additionalProperties: false },
);

const Facet = Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() }));
export const TemplateSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    summary: Type.String(),
    description: Type.String({ description: 'Markdown as written' }),
    creatorId: Type.String(),
    categories: Type.Array(Type.String()),
    tags: Type.Array(Type.String()),
    connectors: Type.Array(Type.String()),
    credentialTypes: Type.Array(Type.String()),
    nodeCount: Type.Integer(),
    nodeTypes: Type.Array(Type.String()),
    priceAmount: Type.Integer({ description: 'Minor units; 0 is free' }),
    currency: Type.String(),
    latestVersion: Type.Integer(),
    status: Type.Union([Type.Literal('listed'), Type.Literal('hidden')]),
    views: Type.Integer(),
    installs: Type.Integer(),
    ratingCount: Type.Integer(),
    ratingSum: Type.Integer(),
    createdAt: Type.Integer(),
    updatedAt: Type.Integer(),
  },
  { additionalProperties: true },
);
export const SearchResultSchema = Type.Object({
  templates: Type.Array(TemplateSchema),
  total: Type.Integer(),
  facets: Type.Object({
    categories: Facet,
    connectors: Facet,
    pricing: Type.Object({ free: Type.Integer(), paid: Type.Integer() }),
    ratings: Facet,
  }),
});

/** A listing as anyone may see it: without the creator's payout account. */
export function publicTemplate(t: MarketplaceTemplate): Omit<MarketplaceTemplate, 'payoutAccountId'> {
  const { payoutAccountId: _p, ...rest } = t;
  return rest;
}

/** The signed-in user's id (marketplace routes need a user, not only a workspace role). */
export const userOf = (ctx: { principal: { userId: string } }) => ctx.principal.userId;
