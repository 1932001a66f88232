import type { Workflow } from '../model/workflow-schema.js';

/**
 * A parameter the installer fills in: the value at `path` (an RFC 6901 pointer under the node's
 * `parameters`) of node `nodeId`. `secret` inputs replace a secret that publishing removed.
 */
export interface TemplateInput {
  key: string;
  label: string;
  nodeId: string;
  path: string;
  secret?: boolean;
  required?: boolean;
  default?: unknown;
  description?: string;
}

/** A credential the template needs: node `nodeId`'s slot `slot` takes a credential of `credentialType`. */
export interface TemplateCredentialSlot {
  nodeId: string;
  slot: string;
  credentialType: string;
}

/** `listed` templates are in the catalogue; `hidden` ones only reach their creator and admins. */
export type TemplateStatus = 'listed' | 'hidden';

/**
 * A template's listing: what the catalogue shows and searches. Prices are in the currency's minor
 * unit (cents); `priceAmount` 0 is free. Counters (`views`, `installs`, ratings) are the store's.
 */
export interface MarketplaceTemplate {
  id: string;
  name: string;
  summary: string;
  /** Markdown, as the creator wrote it (render with `renderMarkdown` of `@weft/marketplace`). */
  description: string;
  creatorId: string;
  categories: string[];
  tags: string[];
  /** Connector ids the workflow uses (`slack`, `github`), from its node types. */
  connectors: string[];
  credentialTypes: string[];
  nodeCount: number;
  nodeTypes: string[];
  priceAmount: number;
  currency: string;
  /** The creator's payment-provider account that receives paid sales (Stripe Connect `acct_...`). */
  payoutAccountId: string | null;
  latestVersion: number;
  status: TemplateStatus;
  views: number;
  installs: number;
  ratingCount: number;
  ratingSum: number;
  createdAt: number;
  updatedAt: number;
}

/** One immutable version of a template's workflow, with what installing it asks for. */
export interface TemplateVersion {
  templateId: string;
  version: number;
  changelog: string;
  workflow: Workflow;
  inputs: TemplateInput[];
  credentials: TemplateCredentialSlot[];
  createdAt: number;
}

/** A template installed into a workspace as workflow `workflowId`. */
export interface TemplateInstall {
  id: string;
  templateId: string;
  version: number;
  workspaceId: string;
  userId: string;
  workflowId: string;
  installedAt: number;
  updatedAt: number;
}

/** `visible` reviews count; `reported` ones wait in the moderation queue (and still count); `hidden` ones don't. */
export type ReviewStatus = 'visible' | 'reported' | 'hidden';

export interface TemplateReview {
  id: string;
  templateId: string;
  userId: string;
  /** 1 to 5 stars. */
  rating: number;
  text: string;
  status: ReviewStatus;
  reports: number;
  createdAt: number;
  updatedAt: number;
}

export type PurchaseStatus = 'pending' | 'paid' | 'refunded';

/**
 * A sale of a paid template. `paymentRef` is the provider's id (a Checkout Session or
 * PaymentIntent id); `feeAmount` is the platform's share, the rest goes to the creator.
 */
export interface TemplatePurchase {
  id: string;
  templateId: string;
  userId: string;
  creatorId: string;
  amount: number;
  feeAmount: number;
  currency: string;
  status: PurchaseStatus;
  paymentRef: string;
  createdAt: number;
  updatedAt: number;
}

/** Filters for {@link MarketplaceStore.search}; `text` matches every word as a prefix of a word of the name, summary, description or tags. */
export interface TemplateSearch {
  text?: string;
  category?: string;
  connector?: string;
  pricing?: 'free' | 'paid';
  /** Average rating at least this (templates without ratings never match). */
  minRating?: number;
  creatorId?: string;
  /** Also `hidden` templates (admins, creators). */
  includeHidden?: boolean;
  sort?: 'popular' | 'newest' | 'rating';
  limit: number;
  offset: number;
}

export interface FacetCount {
  value: string;
  count: number;
}

/**
 * One page of templates, the total that matched, and facets over all that matched: counts per
 * category and connector, free/paid, and per rating floor (`4` counts averages >= 4, ...).
 */
export interface TemplateSearchResult {
  templates: MarketplaceTemplate[];
  total: number;
  facets: {
    categories: FacetCount[];
    connectors: FacetCount[];
    pricing: { free: number; paid: number };
    ratings: FacetCount[];
  };
}

/** A creator's sales per currency: gross paid, the platform's fees, refunds, what they earned. */
export interface CreatorRevenue {
  currency: string;
  sales: number;
  gross: number;
  fees: number;
  refunds: number;
  refundedAmount: number;
  net: number;
}

/**
 * Where `@weft/marketplace` keeps templates, versions, installs, reviews and purchases
 * ({@link MemoryMarketplaceStore} here, `SqlMarketplaceStore` in `@weft/sql` with SQLite FTS5 /
 * Postgres tsvector search). Counters and the rating aggregate are kept by the store: an install
 * bumps `installs`, a review or status change recomputes `ratingCount`/`ratingSum` over reviews
 * that are not hidden.
 *
 * @example
 * ```ts
 * await store.saveTemplate(template, version);
 * const { templates, facets } = await store.search({ text: 'slack', limit: 20, offset: 0 });
 * ```
 */
export interface MarketplaceStore {
  /** Stores the listing (insert or replace, keeping counters) and adds `version`; false when that version exists. */
  saveTemplate(template: MarketplaceTemplate, version: TemplateVersion): Promise<boolean>;
  getTemplate(id: string): Promise<MarketplaceTemplate | undefined>;
  /** A version, or the latest when `version` is omitted. */
  getVersion(templateId: string, version?: number): Promise<TemplateVersion | undefined>;
  /** Every version's number, changelog and date, newest first. */
  listVersions(templateId: string): Promise<Array<Pick<TemplateVersion, 'version' | 'changelog' | 'createdAt'>>>;
  setTemplateStatus(id: string, status: TemplateStatus, at: number): Promise<boolean>;
  countView(id: string): Promise<void>;
  search(query: TemplateSearch): Promise<TemplateSearchResult>;
  /** Records an install and bumps the template's `installs`. */
  recordInstall(install: TemplateInstall): Promise<void>;
  getInstall(workspaceId: string, id: string): Promise<TemplateInstall | undefined>;
  listInstalls(workspaceId: string): Promise<TemplateInstall[]>;
  updateInstall(workspaceId: string, id: string, version: number, at: number): Promise<boolean>;
  hasInstalled(userId: string, templateId: string): Promise<boolean>;
  /** False when this user already reviewed this template. */
  addReview(review: TemplateReview): Promise<boolean>;
  getReview(id: string): Promise<TemplateReview | undefined>;
  /** Newest first. */
  listReviews(query: { templateId?: string; status?: ReviewStatus; limit: number }): Promise<TemplateReview[]>;
  /** Sets the status (clearing reports when made `visible`) and recomputes the template's rating. */
  setReviewStatus(id: string, status: ReviewStatus, at: number): Promise<boolean>;
  /** One report per user per review; a visible review becomes `reported`. False when this user already reported it. */
  reportReview(reviewId: string, userId: string, reason: string, at: number): Promise<boolean>;
  savePurchase(purchase: TemplatePurchase): Promise<void>;
  getPurchase(id: string): Promise<TemplatePurchase | undefined>;
  getPurchaseByRef(paymentRef: string): Promise<TemplatePurchase | undefined>;
  setPurchaseStatus(id: string, status: PurchaseStatus, at: number): Promise<boolean>;
  /** A buyer's purchases, newest first. */
  listPurchases(userId: string): Promise<TemplatePurchase[]>;
  /** Whether the user holds a paid (not refunded) purchase of the template. */
  hasPaid(userId: string, templateId: string): Promise<boolean>;
  revenue(creatorId: string): Promise<CreatorRevenue[]>;
}
