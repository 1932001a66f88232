import type {
  CreatorRevenue,
  FacetCount,
  MarketplaceStore,
  MarketplaceTemplate,
  PurchaseStatus,
  ReviewStatus,
  TemplateInstall,
  TemplatePurchase,
  TemplateReview,
  TemplateSearch,
  TemplateSearchResult,
  TemplateStatus,
  TemplateVersion,
} from '../ports/marketplace-store.js';

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
const clone = <T>(v: T): T => structuredClone(v);
const average = (t: MarketplaceTemplate) => (t.ratingCount ? t.ratingSum / t.ratingCount : 0);

/** Counts per value of `values(t)` over `templates`, largest first, then by value. */
function facet(templates: MarketplaceTemplate[], values: (t: MarketplaceTemplate) => string[]): FacetCount[] {
  const counts = new Map<string, number>();
  for (const t of templates) for (const v of new Set(values(t))) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/**
 * In-memory {@link MarketplaceStore} for tests and embedded use: search matches every query word
 * as a prefix of a word of the name, summary, description or tags, like the SQL stores' full-text
 * indexes.
 *
 * @example
 * ```ts
 * const store = new MemoryMarketplaceStore();
 * await store.saveTemplate(template, version);
 * ```
 */
export class MemoryMarketplaceStore implements MarketplaceStore {
  private readonly templates = new Map<string, MarketplaceTemplate>();
  private readonly versions = new Map<string, TemplateVersion[]>();
  private readonly installs = new Map<string, TemplateInstall>();
  private readonly reviews = new Map<string, TemplateReview>();
  private readonly reports = new Set<string>();
  private readonly purchases = new Map<string, TemplatePurchase>();

  async saveTemplate(template: MarketplaceTemplate, version: TemplateVersion): Promise<boolean> {
    const list = this.versions.get(template.id) ?? [];
    if (list.some((v) => v.version === version.version)) return false;
    const old = this.templates.get(template.id);
    const counters = old
      ? { views: old.views, installs: old.installs, ratingCount: old.ratingCount, ratingSum: old.ratingSum }
      : {};
    this.templates.set(template.id, { ...clone(template), ...counters });
    list.push(clone(version));
    this.versions.set(template.id, list);
    return true;
  }

  async getTemplate(id: string): Promise<MarketplaceTemplate | undefined> {
    const t = this.templates.get(id);
    return t && clone(t);
  }

  async getVersion(templateId: string, version?: number): Promise<TemplateVersion | undefined> {
    const list = this.versions.get(templateId) ?? [];
    const found =
      version === undefined
        ? list.reduce<TemplateVersion | undefined>((a, v) => (!a || v.version > a.version ? v : a), undefined)
        : list.find((v) => v.version === version);
    return found && clone(found);
  }

  async listVersions(templateId: string) {
    return (this.versions.get(templateId) ?? [])
      .map(({ version, changelog, createdAt }) => ({ version, changelog, createdAt }))
      .sort((a, b) => b.version - a.version);
  }

  async setTemplateStatus(id: string, status: TemplateStatus, at: number): Promise<boolean> {
    const t = this.templates.get(id);
    if (!t) return false;
    t.status = status;
    t.updatedAt = at;
    return true;
  }

  async countView(id: string): Promise<void> {
    const t = this.templates.get(id);
    if (t) t.views++;
  }

  async search(q: TemplateSearch): Promise<TemplateSearchResult> {
    const terms = words(q.text ?? '');
    const matched = [...this.templates.values()].filter((t) => {
      if (!q.includeHidden && t.status !== 'listed') return false;
      if (q.category && !t.categories.includes(q.category)) return false;
      if (q.connector && !t.connectors.includes(q.connector)) return false;
      if (q.pricing && (q.pricing === 'free') !== (t.priceAmount === 0)) return false;
      if (q.minRating !== undefined && (t.ratingCount === 0 || average(t) < q.minRating)) return false;
      if (q.creatorId && t.creatorId !== q.creatorId) return false;
      if (!terms.length) return true;
      const text = words([t.name, t.summary, t.description, ...t.tags].join(' '));
      return terms.every((term) => text.some((w) => w.startsWith(term)));
    });
    const order: Record<string, (a: MarketplaceTemplate, b: MarketplaceTemplate) => number> = {
      popular: (a, b) => b.installs - a.installs,
      newest: (a, b) => b.createdAt - a.createdAt,
      rating: (a, b) => average(b) - average(a),
    };
    const sorted = [...matched].sort((a, b) => order[q.sort ?? 'popular']!(a, b) || a.id.localeCompare(b.id));
    return {
      templates: sorted.slice(q.offset, q.offset + q.limit).map(clone),
      total: matched.length,
      facets: {
        categories: facet(matched, (t) => t.categories),
        connectors: facet(matched, (t) => t.connectors),
        pricing: {
          free: matched.filter((t) => t.priceAmount === 0).length,
          paid: matched.filter((t) => t.priceAmount > 0).length,
        },
        ratings: [4, 3, 2, 1].map((min) => ({
          value: String(min),
          count: matched.filter((t) => t.ratingCount > 0 && average(t) >= min).length,
        })),
      },
    };
  }

  async recordInstall(install: TemplateInstall): Promise<void> {
    this.installs.set(install.id, clone(install));
    const t = this.templates.get(install.templateId);
    if (t) t.installs++;
  }

  async getInstall(workspaceId: string, id: string): Promise<TemplateInstall | undefined> {
    const i = this.installs.get(id);
    return i && i.workspaceId === workspaceId ? clone(i) : undefined;
  }

  async listInstalls(workspaceId: string): Promise<TemplateInstall[]> {
    return [...this.installs.values()]
      .filter((i) => i.workspaceId === workspaceId)
      .sort((a, b) => b.installedAt - a.installedAt || b.id.localeCompare(a.id))
      .map(clone);
  }

  async updateInstall(workspaceId: string, id: string, version: number, at: number): Promise<boolean> {
    const i = this.installs.get(id);
    if (!i || i.workspaceId !== workspaceId) return false;
    i.version = version;
    i.updatedAt = at;
    return true;
  }

  async hasInstalled(userId: string, templateId: string): Promise<boolean> {
    return [...this.installs.values()].some((i) => i.userId === userId && i.templateId === templateId);
  }

  async addReview(review: TemplateReview): Promise<boolean> {
    if ([...this.reviews.values()].some((r) => r.userId === review.userId && r.templateId === review.templateId))
      return false;
    this.reviews.set(review.id, clone(review));
    this.rerate(review.templateId);
    return true;
  }

  async getReview(id: string): Promise<TemplateReview | undefined> {
    const r = this.reviews.get(id);
    return r && clone(r);
  }

  async listReviews(q: { templateId?: string; status?: ReviewStatus; limit: number }): Promise<TemplateReview[]> {
    return [...this.reviews.values()]
      .filter((r) => (!q.templateId || r.templateId === q.templateId) && (!q.status || r.status === q.status))
      .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id))
      .slice(0, q.limit)
      .map(clone);
  }

  async setReviewStatus(id: string, status: ReviewStatus, at: number): Promise<boolean> {
    const r = this.reviews.get(id);
    if (!r) return false;
    r.status = status;
    r.updatedAt = at;
    if (status === 'visible') r.reports = 0;
    this.rerate(r.templateId);
    return true;
  }

  async reportReview(reviewId: string, userId: string, _reason: string, at: number): Promise<boolean> {
    const r = this.reviews.get(reviewId);
    const key = `${reviewId}\n${userId}`;
    if (!r || this.reports.has(key)) return false;
    this.reports.add(key);
    r.reports++;
    r.updatedAt = at;
    if (r.status === 'visible') r.status = 'reported';
    return true;
  }

  async savePurchase(purchase: TemplatePurchase): Promise<void> {
    this.purchases.set(purchase.id, clone(purchase));
  }

  async getPurchase(id: string): Promise<TemplatePurchase | undefined> {
    const p = this.purchases.get(id);
    return p && clone(p);
  }

  async getPurchaseByRef(paymentRef: string): Promise<TemplatePurchase | undefined> {
    const p = [...this.purchases.values()].find((x) => x.paymentRef === paymentRef);
    return p && clone(p);
  }

  async setPurchaseStatus(id: string, status: PurchaseStatus, at: number): Promise<boolean> {
    const p = this.purchases.get(id);
    if (!p) return false;
    p.status = status;
    p.updatedAt = at;
    return true;
  }

  async listPurchases(userId: string): Promise<TemplatePurchase[]> {
    return [...this.purchases.values()]
      .filter((p) => p.userId === userId)
      .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id))
      .map(clone);
  }

  async hasPaid(userId: string, templateId: string): Promise<boolean> {
    return [...this.purchases.values()].some(
      (p) => p.userId === userId && p.templateId === templateId && p.status === 'paid',
    );
  }

  async revenue(creatorId: string): Promise<CreatorRevenue[]> {
    const by = new Map<string, CreatorRevenue>();
    for (const p of this.purchases.values()) {
      if (p.creatorId !== creatorId || p.status === 'pending') continue;
      const r = by.get(p.currency) ?? {
        currency: p.currency,
        sales: 0,
        gross: 0,
        fees: 0,
        refunds: 0,
        refundedAmount: 0,
        net: 0,
      };
      if (p.status === 'paid') {
        r.sales++;
        r.gross += p.amount;
        r.fees += p.feeAmount;
        r.net += p.amount - p.feeAmount;
      } else {
        r.refunds++;
        r.refundedAmount += p.amount;
      }
      by.set(p.currency, r);
    }
    return [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
  }

  private rerate(templateId: string): void {
    const t = this.templates.get(templateId);
    if (!t) return;
    const counted = [...this.reviews.values()].filter((r) => r.templateId === templateId && r.status !== 'hidden');
    t.ratingCount = counted.length;
    t.ratingSum = counted.reduce((s, r) => s + r.rating, 0);
  }
}
