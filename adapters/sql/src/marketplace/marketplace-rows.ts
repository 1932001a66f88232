import type {
  MarketplaceTemplate,
  ReviewStatus,
  TemplateInstall,
  TemplatePurchase,
  TemplateReview,
} from '@weft/engine';
import { fromJson } from '../host/host-database.js';
import type { JsonColumn, MillisColumn } from '../schema.js';

/** The marketplace tables of migration 10, as the store reads and writes them. */
export interface MarketplaceTables {
  marketplace_templates: {
    id: string;
    name: string;
    summary: string;
    description: string;
    search_tags: string;
    creator_id: string;
    /** The listing's other fields (categories, tags, connectors, prices...), as JSON. */
    listing: JsonColumn;
    price_amount: number;
    latest_version: number;
    status: string;
    views: MillisColumn;
    installs: MillisColumn;
    rating_count: number;
    rating_sum: number;
    created_at: MillisColumn;
    updated_at: MillisColumn;
  };
  marketplace_templates_fts: { template_id: string; body: string };
  marketplace_template_facets: { template_id: string; kind: string; value: string };
  marketplace_versions: {
    template_id: string;
    version: number;
    changelog: string;
    workflow: JsonColumn;
    inputs: JsonColumn;
    credentials: JsonColumn;
    created_at: MillisColumn;
  };
  marketplace_installs: {
    id: string;
    template_id: string;
    version: number;
    workspace_id: string;
    user_id: string;
    workflow_id: string;
    installed_at: MillisColumn;
    updated_at: MillisColumn;
  };
  marketplace_reviews: {
    id: string;
    template_id: string;
    user_id: string;
    rating: number;
    text: string;
    status: string;
    reports: number;
    created_at: MillisColumn;
    updated_at: MillisColumn;
  };
  marketplace_review_reports: { review_id: string; user_id: string; reason: string; at: MillisColumn };
  marketplace_purchases: {
    id: string;
    template_id: string;
    user_id: string;
    creator_id: string;
    amount: number;
    fee_amount: number;
    currency: string;
    status: string;
    payment_ref: string;
    created_at: MillisColumn;
    updated_at: MillisColumn;
  };
}

/** A listing row back as the engine's type: the JSON listing plus the columns the store keeps. */
export function templateFromRow(row: MarketplaceTables['marketplace_templates']): MarketplaceTemplate {
  const listing = fromJson<Omit<MarketplaceTemplate, 'views' | 'installs' | 'ratingCount' | 'ratingSum'>>(row.listing);
  return {
    ...listing,
    latestVersion: row.latest_version,
    status: row.status as MarketplaceTemplate['status'],
    views: Number(row.views),
    installs: Number(row.installs),
    ratingCount: Number(row.rating_count),
    ratingSum: Number(row.rating_sum),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function reviewFromRow(row: MarketplaceTables['marketplace_reviews']): TemplateReview {
  return {
    id: row.id,
    templateId: row.template_id,
    userId: row.user_id,
    rating: Number(row.rating),
    text: row.text,
    status: row.status as ReviewStatus,
    reports: Number(row.reports),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function purchaseFromRow(row: MarketplaceTables['marketplace_purchases']): TemplatePurchase {
  return {
    id: row.id,
    templateId: row.template_id,
    userId: row.user_id,
    creatorId: row.creator_id,
    amount: Number(row.amount),
    feeAmount: Number(row.fee_amount),
    currency: row.currency,
    status: row.status as TemplatePurchase['status'],
    paymentRef: row.payment_ref,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function installFromRow(row: MarketplaceTables['marketplace_installs']): TemplateInstall {
  return {
    id: row.id,
    templateId: row.template_id,
    version: row.version,
    workspaceId: row.workspace_id,
    userId: row.user_id,
    workflowId: row.workflow_id,
    installedAt: Number(row.installed_at),
    updatedAt: Number(row.updated_at),
  };
}
