import { systemClock } from '@weft/engine';
import { Marketplace, RemoteCatalogue, StripePayments } from '@weft/marketplace';
import { SqlMarketplaceStore } from '@weft/sql';
import { CentralMarketplace } from './central-marketplace.js';
import type { HostRuntime } from './host-runtime.js';

/** The host's marketplace: the rules over the SQL store, Stripe when configured, the host's rate limiter. */
export interface HostMarketplace {
  market: Marketplace;
  /** Whether `userId` moderates (their email is in `WEFT_MARKETPLACE_ADMINS`). */
  isAdmin(userId: string): Promise<boolean>;
  /** The central marketplace this host browses (`WEFT_MARKETPLACE_URL`), if any. */
  remote?: RemoteCatalogue;
  /** Buying and installing the central marketplace's templates, when there is one. */
  central?: CentralMarketplace;
}

const built = new WeakMap<HostRuntime, HostMarketplace>();

/**
 * The marketplace of a runtime, built once: `SqlMarketplaceStore` on the host's database,
 * `StripePayments` from `WEFT_STRIPE_*` (none: paid templates cannot be bought), reviews
 * rate-limited through the host's `RateLimiter` (Redis when the host has it).
 *
 * @example
 * ```ts
 * const { market } = hostMarketplace(runtime);
 * ```
 */
export function hostMarketplace(rt: HostRuntime): HostMarketplace {
  const existing = built.get(rt);
  if (existing) return existing;
  const cfg = rt.config.marketplace;
  const market = new Marketplace({
    store: new SqlMarketplaceStore(rt.h),
    clock: systemClock,
    rateLimiter: rt.rateLimiter,
    feePercent: cfg.feePercent,
    ...(cfg.stripe ? { payments: new StripePayments(cfg.stripe) } : {}),
  });
  const admins = new Set(cfg.admins);
  const remote = cfg.url ? new RemoteCatalogue({ baseUrl: cfg.url }) : undefined;
  const result: HostMarketplace = {
    market,
    ...(remote ? { remote, central: new CentralMarketplace(market, remote, rt.config.publicUrl) } : {}),
    async isAdmin(userId) {
      const user = await rt.identity.userById(userId);
      return user !== undefined && admins.has(user.email.toLowerCase());
    },
  };
  built.set(rt, result);
  return result;
}
