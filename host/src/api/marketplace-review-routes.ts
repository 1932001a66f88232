import { Type } from '@sinclair/typebox';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString } from '../http/schemas.js';
import { hostMarketplace } from '../runtime/host-marketplace.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { TemplateParams, Text } from './marketplace-schemas.js';

const ReviewParams = Type.Object({ reviewId: IdString });
const ReviewSchema = Type.Object({
  id: Type.String(),
  templateId: Type.String(),
  userId: Type.String(),
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  text: Type.String(),
  status: Type.Union([Type.Literal('visible'), Type.Literal('reported'), Type.Literal('hidden')]),
  reports: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

/** Reviews (one per user and template, after installing), reports, and the admins' moderation. */
export function marketplaceReviewRoutes(rt: HostRuntime): AnyRoute[] {
  const mp = () => hostMarketplace(rt);
  const admin = async (userId: string) => {
    if (!(await mp().isAdmin(userId)))
      throw new ProblemError(
        403,
        'not-marketplace-admin',
        'Only marketplace admins (WEFT_MARKETPLACE_ADMINS) moderate',
      );
  };
  return [
    defineRoute({
      method: 'post',
      path: '/marketplace/review',
      summary: 'Review an installed template: 1-5 stars with text, one per user and template (rate-limited)',
      tag: 'marketplace',
      auth: 'user',
      status: 201,
      body: Type.Object(
        { templateId: IdString, rating: Type.Integer({ minimum: 1, maximum: 5 }), text: Text(5000) },
        { additionalProperties: false },
      ),
      response: ReviewSchema,
      handler: ({ body, principal }) => mp().market.review({ ...body, userId: principal.userId }),
    }),
    defineRoute({
      method: 'get',
      path: '/marketplace/templates/:templateId/reviews',
      summary: "A template's reviews, newest first (hidden ones left out)",
      tag: 'marketplace',
      auth: 'user',
      params: TemplateParams,
      query: Type.Object(
        { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) },
        { additionalProperties: false },
      ),
      handler: async ({ params, query }) => {
        const reviews = await mp().market.store.listReviews({
          templateId: params.templateId,
          limit: query.limit ?? 50,
        });
        return { items: reviews.filter((r) => r.status !== 'hidden') };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/marketplace/reviews/:reviewId/report',
      summary: 'Report a review to the moderators (once per user, rate-limited)',
      tag: 'marketplace',
      auth: 'user',
      params: ReviewParams,
      body: Type.Object({ reason: Text(1000, 1) }, { additionalProperties: false }),
      handler: async ({ params, body, principal }) => {
        await mp().market.report({ userId: principal.userId, reviewId: params.reviewId, reason: body.reason });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/marketplace/moderation',
      summary: 'The moderation queue: reported reviews (marketplace admins)',
      tag: 'marketplace',
      auth: 'user',
      handler: async ({ principal }) => {
        await admin(principal.userId);
        return { items: await mp().market.store.listReviews({ status: 'reported', limit: 200 }) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/marketplace/reviews/:reviewId/moderate',
      summary: 'Approve (visible again) or hide a review (marketplace admins)',
      tag: 'marketplace',
      auth: 'user',
      params: ReviewParams,
      body: Type.Object(
        { action: Type.Union([Type.Literal('approve'), Type.Literal('hide')]) },
        { additionalProperties: false },
      ),
      response: ReviewSchema,
      handler: async ({ params, body, principal }) => {
        await admin(principal.userId);
        return mp().market.moderate(params.reviewId, body.action);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/marketplace/templates/:templateId/status',
      summary: 'List or hide a template (marketplace admins)',
      tag: 'marketplace',
      auth: 'user',
      params: TemplateParams,
      body: Type.Object(
        { status: Type.Union([Type.Literal('listed'), Type.Literal('hidden')]) },
        { additionalProperties: false },
      ),
      handler: async ({ params, body, principal }) => {
        await admin(principal.userId);
        if (!(await mp().market.store.setTemplateStatus(params.templateId, body.status, Date.now())))
          throw new ProblemError(404, 'template-not-found', `Template "${params.templateId}" not found`);
        return { id: params.templateId, status: body.status };
      },
    }),
  ];
}
