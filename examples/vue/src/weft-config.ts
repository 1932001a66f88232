/**
 * Where the Weft host runs and where this product's backend mints embed tokens
 * (examples/saas-backend, proxied under /api by vite.config.ts). Set VITE_WEFT_HOST at build time,
 * or override either in the page URL: `?weftHost=https://weft.example.com&tokenUrl=/api/weft-token`.
 */
const params = new URLSearchParams(location.search);

export const weftHost = params.get('weftHost') ?? import.meta.env.VITE_WEFT_HOST ?? 'http://localhost:3000';
export const tokenUrl = params.get('tokenUrl') ?? '/api/weft-token';

/** Asks the product's backend for a short-lived embed token for the signed-in user. */
export async function fetchEmbedToken(): Promise<string> {
  const res = await fetch(tokenUrl, {
    method: 'POST',
    // the example backend takes the "session" from headers; a real one reads its own session cookie
    headers: { 'x-demo-user': 'demo-user', 'x-demo-account': 'demo-account' },
  });
  if (!res.ok) throw new Error(`token request failed: ${res.status}`);
  return res.text();
}
