/** Where passkeys are valid (WebAuthn relying party). */
export interface PasskeySettings {
  /** The relying party id: a registrable domain (`weft.example.com`, `localhost`), never an IP address. */
  rpId: string;
  /** Origins the browser may run the ceremony on (the web app's). */
  origins: string[];
}

/**
 * Reads `WEFT_WEBAUTHN_RP_ID` (default: the host name of the public URL) and
 * `WEFT_WEBAUTHN_ORIGINS` (comma-separated; default: the public URL's origin). Bad values are
 * pushed to `problems`, naming the variable.
 *
 * @example
 * ```ts
 * passkeySettings((n) => env[n], 'https://weft.example.com', problems); // { rpId: 'weft.example.com', origins: ['https://weft.example.com'] }
 * ```
 */
export function passkeySettings(
  str: (name: string) => string | undefined,
  publicUrl: string,
  problems: string[],
): PasskeySettings {
  let url: URL | undefined;
  try {
    url = new URL(publicUrl);
  } catch {
    // loadConfig names the bad public URL
  }
  const rpId = str('WEFT_WEBAUTHN_RP_ID') ?? url?.hostname ?? 'localhost';
  if (!/^[a-z0-9.-]+$/i.test(rpId)) problems.push(`WEFT_WEBAUTHN_RP_ID must be a domain name, got "${rpId}"`);
  const origins = (str('WEFT_WEBAUTHN_ORIGINS') ?? url?.origin ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(o))
      problems.push(`WEFT_WEBAUTHN_ORIGINS entry "${o}" must be an origin like https://weft.example.com`);
  }
  return { rpId, origins };
}
