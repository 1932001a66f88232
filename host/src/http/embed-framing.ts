import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * For the embed views (mount it on `/embed` after helmet): the page may be framed by the host
 * itself and the configured embedding origins only — `Content-Security-Policy: frame-ancestors
 * 'self' <origins>` replaces helmet's `frame-ancestors 'self'` (the rest of the policy stays) and
 * `X-Frame-Options` is dropped, since it cannot name other origins. Every other page keeps both.
 *
 * @example
 * ```ts
 * app.use(helmet());
 * app.use('/embed', embedFraming(['https://app.acme.com']));
 * ```
 */
export function embedFraming(allowedOrigins: readonly string[]): RequestHandler {
  const ancestors = ["frame-ancestors 'self'", ...allowedOrigins].join(' ');
  return (_req: Request, res: Response, next: NextFunction) => {
    const current = res.getHeader('content-security-policy');
    const directives = (typeof current === 'string' ? current : '')
      .split(';')
      .map((d) => d.trim())
      .filter((d) => d && !/^frame-ancestors(\s|$)/i.test(d));
    res.setHeader('content-security-policy', [...directives, ancestors].join(';'));
    res.removeHeader('x-frame-options');
    next();
  };
}
