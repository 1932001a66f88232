import type { CredentialInfo, Workflow } from '@weft/client';
import type {
  CreatorRevenue,
  MarketplaceTemplate,
  TemplateCredentialSlot,
  TemplateInput,
  TemplatePurchase,
  TemplateReview,
  TemplateSearchResult,
  TemplateVersion,
} from '@weft/engine';
import { appState } from '../app/app-state.js';

/** A template listing as the marketplace routes answer it: the store's record without the payout account. */
export type TemplateListing = Omit<MarketplaceTemplate, 'payoutAccountId'>;

export type Facet = TemplateSearchResult['facets']['categories'][number];

export interface SearchResult extends Omit<TemplateSearchResult, 'templates'> {
  templates: TemplateListing[];
}

export type TemplateInputSpec = TemplateInput;

export type Review = Pick<TemplateReview, 'id' | 'userId' | 'rating' | 'text' | 'status' | 'createdAt'>;

export interface TemplateDetail {
  template: TemplateListing;
  descriptionHtml: string;
  versions: Array<Pick<TemplateVersion, 'version' | 'changelog' | 'createdAt'>>;
  inputs: TemplateInputSpec[];
  credentials: TemplateCredentialSlot[];
  preview: {
    nodes: Array<{ id: string; name: string; type: string; position?: [number, number] }>;
    connections: Workflow['connections'];
  };
  reviews: Review[];
  canInstall: boolean;
}

export type Purchase = Pick<
  TemplatePurchase,
  'id' | 'templateId' | 'amount' | 'feeAmount' | 'currency' | 'status' | 'createdAt'
>;

export type Revenue = CreatorRevenue;

const t = () => appState.client.transport;
const ws = () => appState.workspaceId as string;

/** The marketplace routes the web app uses (`/api/v1/marketplace/*`). */
export const marketplaceApi = {
  search: (query: Record<string, string | number | undefined>) =>
    t().request<SearchResult>('GET', '/marketplace/templates', { query }),
  template: (id: string) => t().request<TemplateDetail>('GET', `/marketplace/templates/${encodeURIComponent(id)}`),
  credentials: async (): Promise<CredentialInfo[]> => (await appState.client.workspaces.credentials(ws())).items,
  install: (body: {
    templateId: string;
    credentials: Record<string, { credentialId: string }>;
    inputs: Record<string, unknown>;
  }) =>
    t().request<{ workflowId: string; install: { id: string } }>('POST', `/workspaces/${ws()}/marketplace/install`, {
      body,
    }),
  review: (body: { templateId: string; rating: number; text: string }) =>
    t().request<Review>('POST', '/marketplace/review', { body }),
  purchase: (id: string) =>
    t().request<{ purchase: Purchase; checkoutUrl: string }>(
      'POST',
      `/marketplace/templates/${encodeURIComponent(id)}/purchase`,
    ),
  purchases: () => t().request<{ items: Purchase[] }>('GET', '/marketplace/purchases'),
  revenue: () => t().request<{ items: Revenue[] }>('GET', '/marketplace/revenue'),
};

/** Absolute URL of a template's server-drawn workflow picture (public, so `<img>` and link unfurlers can load it). */
export function previewImageUrl(templateId: string): string {
  return new URL(
    `${t().baseUrl}/api/v1/marketplace/templates/${encodeURIComponent(templateId)}/preview.svg`,
    location.href,
  ).href;
}

/** `12.50 USD`, or `Free`. */
export function price(amount: number, currency: string): string {
  return amount === 0 ? 'Free' : `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
}

/** `★ 4.5 (12)`, or `No reviews`. */
export function rating(t: Pick<TemplateListing, 'ratingCount' | 'ratingSum'>): string {
  return t.ratingCount ? `★ ${(t.ratingSum / t.ratingCount).toFixed(1)} (${t.ratingCount})` : 'No reviews';
}
