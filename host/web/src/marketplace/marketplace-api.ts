import type { CredentialInfo, Workflow } from '@weft/client';
import { appState } from '../app/app-state.js';

/** A template listing as the marketplace routes answer it. */
export interface TemplateListing {
  id: string;
  name: string;
  summary: string;
  description: string;
  creatorId: string;
  categories: string[];
  tags: string[];
  connectors: string[];
  credentialTypes: string[];
  nodeCount: number;
  nodeTypes: string[];
  priceAmount: number;
  currency: string;
  latestVersion: number;
  status: 'listed' | 'hidden';
  views: number;
  installs: number;
  ratingCount: number;
  ratingSum: number;
}

export interface Facet {
  value: string;
  count: number;
}

export interface SearchResult {
  templates: TemplateListing[];
  total: number;
  facets: { categories: Facet[]; connectors: Facet[]; pricing: { free: number; paid: number }; ratings: Facet[] };
}

export interface TemplateInputSpec {
  key: string;
  label: string;
  nodeId: string;
  path: string;
  secret?: boolean;
  required?: boolean;
  default?: unknown;
  description?: string;
}

export interface Review {
  id: string;
  userId: string;
  rating: number;
  text: string;
  status: string;
  createdAt: number;
}

export interface TemplateDetail {
  template: TemplateListing;
  descriptionHtml: string;
  versions: Array<{ version: number; changelog: string; createdAt: number }>;
  inputs: TemplateInputSpec[];
  credentials: Array<{ nodeId: string; slot: string; credentialType: string }>;
  preview: {
    nodes: Array<{ id: string; name: string; type: string; position?: [number, number] }>;
    connections: Workflow['connections'];
  };
  reviews: Review[];
  canInstall: boolean;
}

export interface Purchase {
  id: string;
  templateId: string;
  amount: number;
  feeAmount: number;
  currency: string;
  status: string;
  createdAt: number;
}

export interface Revenue {
  currency: string;
  sales: number;
  gross: number;
  fees: number;
  refunds: number;
  refundedAmount: number;
  net: number;
}

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
    t().request<{ purchase: Purchase; clientSecret: string | null }>(
      'POST',
      `/marketplace/templates/${encodeURIComponent(id)}/purchase`,
    ),
  purchases: () => t().request<{ items: Purchase[] }>('GET', '/marketplace/purchases'),
  revenue: () => t().request<{ items: Revenue[] }>('GET', '/marketplace/revenue'),
};

/** `12.50 USD`, or `Free`. */
export function price(amount: number, currency: string): string {
  return amount === 0 ? 'Free' : `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
}

/** `★ 4.5 (12)`, or `No reviews`. */
export function rating(t: Pick<TemplateListing, 'ratingCount' | 'ratingSum'>): string {
  return t.ratingCount ? `★ ${(t.ratingSum / t.ratingCount).toFixed(1)} (${t.ratingCount})` : 'No reviews';
}
