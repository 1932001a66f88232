import { randomUUID } from 'node:crypto';
import type { TemplatePurchase, TemplateVersion } from '@weft/engine';
import { type CatalogueTemplate, type Marketplace, MarketplaceError, type RemoteCatalogue } from '@weft/marketplace';

/** Creator ids of templates copied from the central marketplace start with this. */
export const CENTRAL_CREATOR = 'central:';
/** Payment references of purchases made on the central marketplace: `central:<licence>`. */
const CENTRAL_REF = 'central:';

/**
 * The buying side of a central marketplace (`WEFT_MARKETPLACE_URL`): paid templates are bought
 * there (the purchase and the payment live on the central host; this host keeps the buyer's
 * licence in a local purchase), and every install asks the central host whether the licence is
 * still paid, copying the template's workflow here only when it is.
 *
 * @example
 * ```ts
 * const central = new CentralMarketplace(market, remote, 'https://weft.acme.dev');
 * if (await central.serves(templateId)) await central.sync(userId, templateId);
 * ```
 */
export class CentralMarketplace {
  constructor(
    private readonly market: Marketplace,
    private readonly remote: RemoteCatalogue,
    private readonly publicUrl: string,
  ) {}

  /** Whether `templateId` comes from the central marketplace (not a template published on this host). */
  async serves(templateId: string): Promise<boolean> {
    const local = await this.market.store.getTemplate(templateId);
    return !local || local.creatorId.startsWith(CENTRAL_CREATOR);
  }

  /**
   * Brings a central template up to date for `userId`: a free one is copied here; a paid one is
   * copied when one of the user's licences is paid, and their local purchases follow the central
   * state (a refund there revokes access here). Answers `missing` when the central marketplace has
   * no such template, `unpaid` when it is paid and the user holds no paid licence.
   */
  async sync(userId: string, templateId: string): Promise<'missing' | 'installable' | 'unpaid'> {
    const found = await this.remote.template(templateId);
    if (!found) return 'missing';
    if (found.template.priceAmount === 0) {
      if (found.version) await this.copy(found, found.version);
      return found.version ? 'installable' : 'missing';
    }
    let paid = false;
    for (const purchase of await this.licences(userId, templateId)) {
      const state = await this.remote.licence(templateId, purchase.paymentRef.slice(CENTRAL_REF.length));
      if (state.status !== purchase.status)
        await this.market.store.setPurchaseStatus(purchase.id, state.status, Date.now());
      if (state.status === 'paid' && state.version) {
        await this.copy(found, state.version);
        paid = true;
      }
    }
    return paid ? 'installable' : 'unpaid';
  }

  /** Starts buying a paid central template: the central host's Checkout page, returning to this host's template page. */
  async buy(
    userId: string,
    templateId: string,
    urls: { successUrl: string; cancelUrl: string },
  ): Promise<{ purchase: TemplatePurchase; checkoutUrl: string }> {
    const found = await this.remote.template(templateId);
    if (!found) throw new MarketplaceError('not-found', 'template-not-found', `Template "${templateId}" not found`);
    if (found.template.priceAmount === 0)
      throw new MarketplaceError('conflict', 'template-is-free', 'This template is free: install it');
    if (await this.market.store.hasPaid(userId, templateId))
      throw new MarketplaceError('conflict', 'already-purchased', 'You have bought this template already');
    const bought = await this.remote.buy(templateId, { buyer: { host: this.publicUrl, userId }, ...urls });
    const now = Date.now();
    const purchase: TemplatePurchase = {
      id: `pur_${randomUUID().replace(/-/g, '')}`,
      templateId,
      userId,
      creatorId: `${CENTRAL_CREATOR}${found.template.creatorId}`,
      amount: bought.amount,
      feeAmount: 0,
      currency: bought.currency,
      status: 'pending',
      paymentRef: `${CENTRAL_REF}${bought.licence}`,
      createdAt: now,
      updatedAt: now,
    };
    await this.market.store.savePurchase(purchase);
    return { purchase, checkoutUrl: bought.checkoutUrl };
  }

  private async licences(userId: string, templateId: string): Promise<TemplatePurchase[]> {
    return (await this.market.store.listPurchases(userId)).filter(
      (p) => p.templateId === templateId && p.paymentRef.startsWith(CENTRAL_REF),
    );
  }

  /** Copies the listing and `version` here (once per version), marked as the central marketplace's. */
  private async copy(found: CatalogueTemplate, version: TemplateVersion): Promise<void> {
    const local = await this.market.store.getTemplate(found.template.id);
    if (local && local.latestVersion >= version.version) return;
    const { template } = found;
    await this.market.store.saveTemplate(
      {
        ...template,
        creatorId: `${CENTRAL_CREATOR}${template.creatorId}`,
        payoutAccountId: null,
        views: 0,
        installs: 0,
        ratingCount: 0,
        ratingSum: 0,
        status: 'listed',
      },
      version,
    );
  }
}
