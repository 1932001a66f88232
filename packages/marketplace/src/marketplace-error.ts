/**
 * What kind of refusal: the host answers `invalid-input` 400, `payment-required` 402,
 * `forbidden` 403, `not-found` 404, `conflict` 409, `rate-limited` 429, `upstream-failed` 502 (the payment
 * provider or the central catalogue failed).
 */
export type MarketplaceErrorKind =
  | 'invalid-input'
  | 'payment-required'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  | 'upstream-failed';

/** One field-level issue: a JSON pointer into the request and what is wrong there. */
export interface MarketplaceFieldIssue {
  path: string;
  message: string;
}

/**
 * A marketplace rule said no, with a stable `code` (`template-not-found`, `review-exists`, ...),
 * the field issues when the input was wrong, and `retryAfterMs` when rate-limited.
 *
 * @example
 * ```ts
 * try {
 *   await marketplace.review({ userId, templateId, rating: 5, text: 'Great' });
 * } catch (e) {
 *   if (e instanceof MarketplaceError && e.code === 'install-first') console.log('install it first');
 * }
 * ```
 */
export class MarketplaceError extends Error {
  override readonly name = 'MarketplaceError';
  constructor(
    readonly kind: MarketplaceErrorKind,
    readonly code: string,
    message: string,
    readonly details: { errors?: MarketplaceFieldIssue[]; retryAfterMs?: number } = {},
  ) {
    super(message);
  }
}

/** `template-not-found` for a template that does not exist or is not visible to the caller. */
export const templateNotFound = (id: string): MarketplaceError =>
  new MarketplaceError('not-found', 'template-not-found', `Template "${id}" not found`);

/** An `invalid-input` error with the fields at fault. */
export const invalidInput = (code: string, message: string, errors: MarketplaceFieldIssue[]): MarketplaceError =>
  new MarketplaceError('invalid-input', code, message, { errors });
