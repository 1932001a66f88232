import { InjectionToken } from '@angular/core';

export interface WeftConfig {
  /** The Weft host, e.g. `https://weft.example.com`. */
  host: string;
  /** Returns a short-lived embed token from the product's backend. */
  token: () => Promise<string>;
}

/**
 * Where the Weft host runs and how this product gets embed tokens: by default
 * http://localhost:3000 and POST /api/weft-token (examples/saas-backend, proxied by proxy.conf.json
 * in `ng serve`); `?weftHost=...&tokenUrl=...` in the page URL overrides them. Provide your own
 * value in `bootstrapApplication` to change them for good.
 */
export const WEFT_CONFIG = new InjectionToken<WeftConfig>('WEFT_CONFIG', {
  providedIn: 'root',
  factory: () => {
    const params = new URLSearchParams(location.search);
    const tokenUrl = params.get('tokenUrl') ?? '/api/weft-token';
    return {
      host: params.get('weftHost') ?? 'http://localhost:3000',
      token: async () => {
        const res = await fetch(tokenUrl, {
          method: 'POST',
          // the example backend takes the "session" from headers; a real one reads its own session cookie
          headers: { 'x-demo-user': 'demo-user', 'x-demo-account': 'demo-account' },
        });
        if (!res.ok) throw new Error(`token request failed: ${res.status}`);
        return res.text();
      },
    };
  },
});
