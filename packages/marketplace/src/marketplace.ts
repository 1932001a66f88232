import { randomUUID } from 'node:crypto';
import type {
  Clock,
  MarketplaceStore,
  MarketplaceTemplate,
  RateLimiter,
  RateLimitRule,
  ReviewStatus,
  TemplateInput,
  TemplateInstall,
  TemplatePurchase,
  TemplateReview,
  TemplateVersion,
  Workflow,
} from '@weft/engine';
import { type InstallChoices, instantiateTemplate, readPointer } from './instantiate-template.js';
import { invalidInput, MarketplaceError, templateNotFound } from './marketplace-error.js';
import type { PaymentEvent, PaymentProvider, PaymentStart } from './payment-provider.js';
import { stripWorkflow } from './strip-workflow.js';
import { connectorsOf, nodeTypesOf } from './template-listing.js';

/** What a creator publishes: a workflow and its listing. `templateId` publishes a new version of it. */
export interface PublishInput {
  creatorId: string;
  templateId?: string;
  workflow: Workflow;
  /** The type of a credential id the workflow references (the ids themselves are dropped). */
  credentialType: (credentialId: string) => Promise<string | undefined> | string | undefined;
  name: string;
  summary: string;
  description: string;
  categories: string[];
  tags: string[];
  inputs?: TemplateInput[];
  changelog: string;
  /** Minor units; 0 (default) is free. Paid templates need `payoutAccountId`. */
  priceAmount?: number;
  currency?: string;
  payoutAccountId?: string;
}

/** Options of {@link Marketplace}. */
export interface MarketplaceOptions {
  store: MarketplaceStore;
  clock: Clock;
  rateLimiter: RateLimiter;
  /** Without one, paid templates cannot be bought (402 `payments-disabled`). */
  payments?: PaymentProvider;
  /** The platform's share of each sale in percent (default 20). */
  feePercent?: number;
  /** Reviews and reports per user (default 10 per hour). */
  reviewRate?: RateLimitRule;
  newId?: (prefix: string) => string;
}

const MIN_CHARGE = 50;

/**
 * The marketplace's rules over a {@link MarketplaceStore}: publishing (secrets, credential ids and
 * pinned data stripped; versions), installs (only free, own or paid-for templates), upgrades,
 * reviews (1-5 stars, one per user and template, only after installing, rate-limited), reports and
 * moderation, and purchases through a {@link PaymentProvider} with the platform's fee split off.
 *
 * @example
 * ```ts
 * const market = new Marketplace({ store: new MemoryMarketplaceStore(), clock: new SystemClock(),
 *   rateLimiter: new MemoryRateLimiter() });
 * const { template } = await market.publish({ creatorId: 'u1', workflow, credentialType: () => undefined,
 *   name: 'Hello', summary: 'Says hello', description: '# Hello', categories: ['demo'], tags: [], changelog: 'First' });
 * ```
 */
export class Marketplace {
  readonly store: MarketplaceStore;
  private readonly feePercent: number;
  private readonly newId: (prefix: string) => string;

  constructor(private readonly options: MarketplaceOptions) {
    this.store = options.store;
    this.feePercent = options.feePercent ?? 20;
    if (!(this.feePercent >= 0 && this.feePercent <= 100))
      throw new RangeError(`feePercent must be between 0 and 100, got ${this.feePercent}`);
    this.newId = options.newId ?? ((p) => `${p}_${randomUUID().replace(/-/g, '')}`);
  }

  /** Publishes a new template, or a new version of `input.templateId` (its creator only). */
  async publish(
    input: PublishInput,
  ): Promise<{ template: MarketplaceTemplate; version: TemplateVersion; removedSecrets: string[] }> {
    const now = this.options.clock.now();
    const price = input.priceAmount ?? 0;
    if (price !== 0 && (price < MIN_CHARGE || !input.payoutAccountId))
      throw invalidInput(
        'paid-template-incomplete',
        `A paid template costs at least ${MIN_CHARGE} minor units and names a payout account`,
        [{ path: price < MIN_CHARGE ? '/priceAmount' : '/payoutAccountId', message: 'Required for paid templates' }],
      );
    const previous = input.templateId ? await this.store.getTemplate(input.templateId) : undefined;
    if (input.templateId && !previous) throw templateNotFound(input.templateId);
    if (previous && previous.creatorId !== input.creatorId)
      throw new MarketplaceError('forbidden', 'not-template-creator', 'Only the creator can publish a new version');
    for (const [i, x] of (input.inputs ?? []).entries())
      if (!input.workflow.nodes.some((n) => n.id === x.nodeId))
        throw invalidInput(
          'unknown-input-node',
          `Input "${x.key}" names node "${x.nodeId}", which the workflow lacks`,
          [{ path: `/inputs/${i}/nodeId`, message: 'No such node' }],
        );
    const stripped = await stripWorkflow(input.workflow, {
      credentialType: input.credentialType,
      inputs: input.inputs,
    });
    const id = previous?.id ?? this.newId('tpl');
    const versionNo = (previous?.latestVersion ?? 0) + 1;
    const template: MarketplaceTemplate = {
      id,
      name: input.name,
      summary: input.summary,
      description: input.description,
      creatorId: input.creatorId,
      categories: [...new Set(input.categories)],
      tags: [...new Set(input.tags)],
      connectors: connectorsOf(stripped.workflow),
      credentialTypes: [...new Set(stripped.credentials.map((c) => c.credentialType))].sort(),
      nodeCount: stripped.workflow.nodes.length,
      nodeTypes: nodeTypesOf(stripped.workflow),
      priceAmount: price,
      currency: (input.currency ?? 'usd').toLowerCase(),
      payoutAccountId: input.payoutAccountId ?? null,
      latestVersion: versionNo,
      status: previous?.status ?? 'listed',
      views: 0,
      installs: 0,
      ratingCount: 0,
      ratingSum: 0,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
    };
    const version: TemplateVersion = {
      templateId: id,
      version: versionNo,
      changelog: input.changelog,
      workflow: { ...stripped.workflow, name: input.name },
      inputs: stripped.inputs,
      credentials: stripped.credentials,
      createdAt: now,
    };
    if (!(await this.store.saveTemplate(template, version)))
      throw new MarketplaceError(
        'conflict',
        'version-exists',
        `Version ${versionNo} of ${id} was published meanwhile; try again`,
      );
    return {
      template: (await this.store.getTemplate(id)) ?? template,
      version,
      removedSecrets: stripped.removedSecrets,
    };
  }

  /** A listed template (or a hidden one to its creator and admins), counting the view. */
  async template(id: string, viewer?: { userId: string; admin: boolean }): Promise<MarketplaceTemplate> {
    const t = await this.store.getTemplate(id);
    if (!t || (t.status !== 'listed' && !(viewer?.admin || viewer?.userId === t.creatorId))) throw templateNotFound(id);
    await this.store.countView(id);
    return { ...t, views: t.views + 1 };
  }

  /** Whether `userId` may install the template: free, theirs, or paid for and not refunded. */
  async canInstall(userId: string, t: MarketplaceTemplate): Promise<boolean> {
    return t.priceAmount === 0 || t.creatorId === userId || (await this.store.hasPaid(userId, t.id));
  }

  /** The workflow an install creates (not stored yet: save it, then {@link recordInstall}). */
  async prepareInstall(
    userId: string,
    templateId: string,
    choices: InstallChoices,
    versionNo?: number,
  ): Promise<{ template: MarketplaceTemplate; version: TemplateVersion; workflow: Workflow }> {
    const template = await this.store.getTemplate(templateId);
    if (template?.status !== 'listed') throw templateNotFound(templateId);
    if (!(await this.canInstall(userId, template)))
      throw new MarketplaceError(
        'payment-required',
        'purchase-required',
        `Buy "${template.name}" before installing it`,
      );
    const version = await this.store.getVersion(templateId, versionNo);
    if (!version)
      throw new MarketplaceError(
        'not-found',
        'version-not-found',
        `Template ${templateId} has no version ${versionNo}`,
      );
    return { template, version, workflow: instantiateTemplate(version, choices) };
  }

  async recordInstall(input: Omit<TemplateInstall, 'id' | 'installedAt' | 'updatedAt'>): Promise<TemplateInstall> {
    const now = this.options.clock.now();
    const install = { ...input, id: this.newId('ins'), installedAt: now, updatedAt: now };
    await this.store.recordInstall(install);
    return install;
  }

  /**
   * The workflow an upgrade of `install` to `toVersion` (default latest) produces from `current`
   * (the installed workflow as it is now): credentials and input values are carried over by
   * credential type and input key; `inputs` adds values for inputs the new version introduced.
   */
  async prepareUpgrade(
    userId: string,
    install: TemplateInstall,
    current: Workflow,
    inputs: Record<string, unknown> = {},
    toVersion?: number,
  ): Promise<{ from: TemplateVersion; to: TemplateVersion; workflow: Workflow }> {
    const template = await this.store.getTemplate(install.templateId);
    if (!template) throw templateNotFound(install.templateId);
    if (!(await this.canInstall(userId, template)))
      throw new MarketplaceError('payment-required', 'purchase-required', `"${template.name}" is no longer paid for`);
    const [from, to] = await Promise.all([
      this.store.getVersion(install.templateId, install.version),
      this.store.getVersion(install.templateId, toVersion),
    ]);
    if (!from || !to)
      throw new MarketplaceError('not-found', 'version-not-found', `No version ${toVersion} of ${install.templateId}`);
    if (to.version <= install.version)
      throw new MarketplaceError(
        'conflict',
        'nothing-to-upgrade',
        `The install is at version ${install.version} already`,
      );
    const nodes = new Map(current.nodes.map((n) => [n.id, n]));
    const credentials: Record<string, string> = {};
    for (const slot of from.credentials) {
      const id = nodes.get(slot.nodeId)?.credentials?.[slot.slot];
      if (id) credentials[slot.credentialType] ??= id;
    }
    const carried: Record<string, unknown> = {};
    for (const input of from.inputs) {
      const value = readPointer(nodes.get(input.nodeId)?.parameters, input.path);
      if (value !== undefined) carried[input.key] = value;
    }
    const workflow = instantiateTemplate(to, { credentials, inputs: { ...carried, ...inputs }, name: current.name });
    return { from, to, workflow };
  }

  /** A review of an installed template: 1-5 whole stars, one per user and template, rate-limited. */
  async review(input: { userId: string; templateId: string; rating: number; text: string }): Promise<TemplateReview> {
    await this.limit(input.userId);
    if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)
      throw invalidInput('invalid-rating', 'A rating is 1 to 5 whole stars', [
        { path: '/rating', message: 'Expected 1-5' },
      ]);
    const template = await this.store.getTemplate(input.templateId);
    if (template?.status !== 'listed') throw templateNotFound(input.templateId);
    if (!(await this.store.hasInstalled(input.userId, input.templateId)))
      throw new MarketplaceError('forbidden', 'install-first', 'Only users who installed a template can review it');
    const now = this.options.clock.now();
    const review: TemplateReview = {
      id: this.newId('rev'),
      templateId: input.templateId,
      userId: input.userId,
      rating: input.rating,
      text: input.text,
      status: 'visible',
      reports: 0,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.store.addReview(review)))
      throw new MarketplaceError('conflict', 'review-exists', 'You have reviewed this template already');
    return review;
  }

  /** Reports a review to the moderators (once per user), rate-limited like reviews. */
  async report(input: { userId: string; reviewId: string; reason: string }): Promise<void> {
    await this.limit(input.userId);
    const review = await this.store.getReview(input.reviewId);
    if (!review || review.status === 'hidden')
      throw new MarketplaceError('not-found', 'review-not-found', `Review "${input.reviewId}" not found`);
    if (!(await this.store.reportReview(input.reviewId, input.userId, input.reason, this.options.clock.now())))
      throw new MarketplaceError('conflict', 'already-reported', 'You have reported this review already');
  }

  /** An admin's decision on a review: `approve` makes it visible again, `hide` removes it from the rating. */
  async moderate(reviewId: string, action: 'approve' | 'hide'): Promise<TemplateReview> {
    const status: ReviewStatus = action === 'approve' ? 'visible' : 'hidden';
    if (!(await this.store.setReviewStatus(reviewId, status, this.options.clock.now())))
      throw new MarketplaceError('not-found', 'review-not-found', `Review "${reviewId}" not found`);
    return (await this.store.getReview(reviewId)) as TemplateReview;
  }

  /**
   * Starts buying a paid template: a pending purchase and the provider's payment (fee split off)
   * whose page sends the buyer back to `urls.successUrl` or `urls.cancelUrl`.
   */
  async buy(
    userId: string,
    templateId: string,
    urls: { successUrl: string; cancelUrl: string },
  ): Promise<{ purchase: TemplatePurchase; payment: PaymentStart }> {
    const t = await this.store.getTemplate(templateId);
    if (t?.status !== 'listed') throw templateNotFound(templateId);
    if (t.priceAmount === 0)
      throw new MarketplaceError('conflict', 'template-is-free', 'This template is free: install it');
    if (t.creatorId === userId)
      throw new MarketplaceError('conflict', 'own-template', 'You cannot buy your own template');
    if (await this.store.hasPaid(userId, templateId))
      throw new MarketplaceError('conflict', 'already-purchased', 'You have bought this template already');
    const { payments } = this.options;
    if (!payments || !t.payoutAccountId)
      throw new MarketplaceError('payment-required', 'payments-disabled', 'This host takes no payments');
    const now = this.options.clock.now();
    const id = this.newId('pur');
    const feeAmount = Math.round((t.priceAmount * this.feePercent) / 100);
    const payment = await payments.start({
      purchaseId: id,
      templateId,
      buyerId: userId,
      amount: t.priceAmount,
      currency: t.currency,
      feeAmount,
      destinationAccount: t.payoutAccountId,
      description: `Weft template: ${t.name}`,
      ...urls,
    });
    const purchase: TemplatePurchase = {
      id,
      templateId,
      userId,
      creatorId: t.creatorId,
      amount: t.priceAmount,
      feeAmount,
      currency: t.currency,
      status: 'pending',
      paymentRef: payment.paymentRef,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.savePurchase(purchase);
    return { purchase, payment };
  }

  /** Applies a verified provider webhook; answers what it did. Replays of an event change nothing. */
  async paymentWebhook(
    rawBody: Buffer | string,
    signature: string | undefined,
  ): Promise<PaymentEvent & { purchaseId?: string }> {
    if (!this.options.payments)
      throw new MarketplaceError('payment-required', 'payments-disabled', 'This host takes no payments');
    const event = await this.options.payments.parseWebhook(rawBody, signature);
    if (event.type === 'ignored') return event;
    const purchase = await this.store.getPurchaseByRef(event.paymentRef);
    if (!purchase)
      return { type: 'ignored', eventId: event.eventId, providerType: `${event.type} of an unknown payment` };
    const next = event.type === 'paid' ? 'paid' : event.type === 'refunded' ? 'refunded' : undefined;
    // A refund is final: a late `paid` event for the same payment does not grant access again.
    if (next && purchase.status !== 'refunded' && purchase.status !== next)
      await this.store.setPurchaseStatus(purchase.id, next, this.options.clock.now());
    return { ...event, purchaseId: purchase.id };
  }

  /** Refunds a paid purchase (the creator or an admin decides); access ends at once. */
  async refund(purchaseId: string, by: { userId: string; admin: boolean }): Promise<TemplatePurchase> {
    const purchase = await this.store.getPurchase(purchaseId);
    if (!purchase) throw new MarketplaceError('not-found', 'purchase-not-found', `Purchase "${purchaseId}" not found`);
    if (!by.admin && by.userId !== purchase.creatorId)
      throw new MarketplaceError('forbidden', 'not-template-creator', 'Only the creator or an admin can refund');
    if (purchase.status !== 'paid')
      throw new MarketplaceError('conflict', 'not-refundable', `The purchase is ${purchase.status}`);
    await this.options.payments?.refund(purchase.paymentRef);
    await this.store.setPurchaseStatus(purchase.id, 'refunded', this.options.clock.now());
    return { ...purchase, status: 'refunded' };
  }

  private async limit(userId: string): Promise<void> {
    const r = await this.options.rateLimiter.consume(
      `marketplace:review:${userId}`,
      this.options.reviewRate ?? { limit: 10, windowMs: 3_600_000 },
    );
    if (!r.allowed)
      throw new MarketplaceError(
        'rate-limited',
        'review-rate-limited',
        'Too many reviews and reports; try again later',
        {
          retryAfterMs: r.retryAfterMs,
        },
      );
  }
}
