/** The template marketplace (`WEFT_MARKETPLACE_*`, `WEFT_STRIPE_*`). */
export interface MarketplaceSettings {
  /** A central Weft host whose public catalogue this host browses and installs from (`WEFT_MARKETPLACE_URL`). */
  url?: string;
  /** The platform's share of each sale in percent (`WEFT_MARKETPLACE_FEE_PERCENT`, default 20). */
  feePercent: number;
  /** Emails of the users who moderate reviews and templates (`WEFT_MARKETPLACE_ADMINS`; default the owner email). */
  admins: string[];
  /** Stripe for paid templates; without it paid templates cannot be bought. */
  stripe?: { secretKey: string; webhookSecret: string; apiUrl?: string };
}

type Read = (name: string, fallback?: string) => string | undefined;
type ReadInt = (name: string, fallback: number, min: number, max?: number) => number;

const httpUrl = (name: string, value: string | undefined, problems: string[]): string | undefined => {
  if (value === undefined) return undefined;
  try {
    const u = new URL(value);
    if (u.protocol === 'http:' || u.protocol === 'https:') return value.replace(/\/+$/, '');
  } catch {}
  problems.push(`${name} must be an http(s) URL, got "${value}"`);
  return undefined;
};

/**
 * Reads the marketplace settings; each bad value adds a problem naming its variable.
 *
 * @example
 * ```ts
 * const m = marketplaceSettings(str, int, 'owner@example.com', problems); // m.feePercent === 20
 * ```
 */
export function marketplaceSettings(
  str: Read,
  int: ReadInt,
  ownerEmail: string | undefined,
  problems: string[],
): MarketplaceSettings {
  const url = httpUrl('WEFT_MARKETPLACE_URL', str('WEFT_MARKETPLACE_URL'), problems);
  const secretKey = str('WEFT_STRIPE_SECRET_KEY');
  const webhookSecret = str('WEFT_STRIPE_WEBHOOK_SECRET');
  if (!!secretKey !== !!webhookSecret)
    problems.push('WEFT_STRIPE_SECRET_KEY and WEFT_STRIPE_WEBHOOK_SECRET are set together or not at all');
  const apiUrl = httpUrl('WEFT_STRIPE_API_URL', str('WEFT_STRIPE_API_URL'), problems);
  const admins = (str('WEFT_MARKETPLACE_ADMINS') ?? ownerEmail ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return {
    ...(url ? { url } : {}),
    feePercent: int('WEFT_MARKETPLACE_FEE_PERCENT', 20, 0, 100),
    admins,
    ...(secretKey && webhookSecret ? { stripe: { secretKey, webhookSecret, ...(apiUrl ? { apiUrl } : {}) } } : {}),
  };
}
