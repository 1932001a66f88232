import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type AddressPolicy, BlockedAddressError } from './address-policy.js';

/**
 * Resolves a host for a non-HTTP connection (SMTP, PostgreSQL, Redis) and returns the first
 * address the policy allows, to connect to directly (so DNS cannot change between the check and
 * the connection). Throws {@link BlockedAddressError} when every address is blocked.
 *
 * @example
 * ```ts
 * const ip = await resolveAllowedAddress('db.example.com', new AddressPolicy());
 * new pg.Client({ host: ip, ssl: { servername: 'db.example.com' } });
 * ```
 */
export async function resolveAllowedAddress(
  host: string,
  policy: AddressPolicy,
  resolve: (host: string) => Promise<LookupAddress[]> = (h) => lookup(h, { all: true, verbatim: true }),
): Promise<string> {
  const hostReason = policy.checkHost(host);
  if (hostReason) throw new BlockedAddressError(host, host, hostReason);
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host);
  const ok = addresses.find((a) => policy.check(host, a.address) === undefined);
  if (ok) return ok.address;
  const first = addresses[0]?.address;
  if (!first) throw new Error(`DNS lookup for ${host} returned no addresses`);
  throw new BlockedAddressError(host, first, policy.check(host, first) ?? 'blocked');
}
