import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type {
  Clock,
  MarketplaceStore,
  MarketplaceTemplate,
  TemplateCredentialSlot,
  TemplateInput,
  Workflow,
} from '@weft/engine';
import { connectorsOf, nodeTypesOf } from './template-listing.js';

/** A template shipped with this package (`templates/<slug>.json`). */
export interface BundledTemplate {
  slug: string;
  name: string;
  summary: string;
  description: string;
  categories: string[];
  tags: string[];
  credentials: TemplateCredentialSlot[];
  inputs: TemplateInput[];
  workflow: Workflow;
}

const DIR = fileURLToPath(new URL('../templates/', import.meta.url));

/**
 * The templates shipped with `@weft/marketplace`: 30 workflows built from Weft's own nodes and
 * connectors (GitHub, Slack, Stripe, Teams, OpenAI, RSS, HTTP...), with their listings.
 *
 * @example
 * ```ts
 * for (const t of bundledTemplates()) console.log(t.slug, t.workflow.nodes.length);
 * ```
 */
export function bundledTemplates(): BundledTemplate[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const { sample: _s, ...t } = JSON.parse(readFileSync(`${DIR}${f}`, 'utf8')) as BundledTemplate & {
        sample?: unknown;
      };
      return { ...t, slug: f.slice(0, -5) };
    });
}

/**
 * Lists the bundled templates in a store under ids `weft-<slug>` by `creatorId` (default `weft`),
 * each as version 1; templates already there are left as they are, so it is safe at every start.
 *
 * @example
 * ```ts
 * const added = await seedBundledTemplates(store, systemClock);
 * ```
 */
export async function seedBundledTemplates(store: MarketplaceStore, clock: Clock, creatorId = 'weft'): Promise<number> {
  let added = 0;
  for (const t of bundledTemplates()) {
    const id = `weft-${t.slug}`;
    if (await store.getTemplate(id)) continue;
    const now = clock.now();
    const template: MarketplaceTemplate = {
      id,
      name: t.name,
      summary: t.summary,
      description: t.description,
      creatorId,
      categories: t.categories,
      tags: t.tags,
      connectors: connectorsOf(t.workflow),
      credentialTypes: [...new Set(t.credentials.map((c) => c.credentialType))].sort(),
      nodeCount: t.workflow.nodes.length,
      nodeTypes: nodeTypesOf(t.workflow),
      priceAmount: 0,
      currency: 'usd',
      payoutAccountId: null,
      latestVersion: 1,
      status: 'listed',
      views: 0,
      installs: 0,
      ratingCount: 0,
      ratingSum: 0,
      createdAt: now,
      updatedAt: now,
    };
    const saved = await store.saveTemplate(template, {
      templateId: id,
      version: 1,
      changelog: 'Bundled with Weft',
      workflow: t.workflow,
      inputs: t.inputs,
      credentials: t.credentials,
      createdAt: now,
    });
    if (saved) added++;
  }
  return added;
}
