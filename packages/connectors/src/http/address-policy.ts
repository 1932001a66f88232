import { type CidrRange, cidrContains, embeddedIpv4, parseCidr, parseIp } from './ip-address.js';

/** Ranges no outbound request may reach unless allow-listed, with the reason shown in errors. */
const BLOCKED: [string, string][] = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade NAT (and cloud metadata 100.100.100.200)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local (and cloud metadata 169.254.169.254)'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'documentation'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::/96', 'IPv4-compatible'],
  ['100::/64', 'discard'],
  ['2001:db8::/32', 'documentation'],
  ['fc00::/7', 'unique local (and cloud metadata fd00:ec2::254)'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
];
const BLOCKED_RANGES = BLOCKED.map(([cidr, reason]) => ({ range: parseCidr(cidr), reason }));
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data']);

/**
 * Thrown when a request would reach an address the policy blocks.
 *
 * @example
 * ```ts
 * if (err instanceof BlockedAddressError) log.warn({ host: err.host, reason: err.reason }, 'blocked');
 * ```
 */
export class BlockedAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(
      `Outbound request to ${host}${address !== host ? ` (${address})` : ''} blocked: ${reason} addresses are not allowed; add the address or host to the HTTP client's allow-list to permit it`,
    );
    this.name = 'BlockedAddressError';
  }
}

/**
 * Decides which addresses outbound requests may reach: everything public, nothing private,
 * loopback, link-local, CGNAT, multicast, reserved or cloud-metadata — IPv4 and IPv6, with
 * IPv4-mapped and NAT64 addresses judged by the IPv4 address they carry — unless the allow-list
 * names the address's range or the host.
 *
 * @example
 * ```ts
 * const policy = new AddressPolicy({ allow: ['127.0.0.0/8', '::1'] });
 * policy.check('api.example.com', '127.0.0.1'); // undefined: allowed
 * new AddressPolicy().check('x', '::ffff:10.0.0.1'); // 'private'
 * ```
 */
export class AddressPolicy {
  readonly #allowRanges: CidrRange[] = [];
  readonly #allowHosts = new Set<string>();

  constructor(options: { allow?: readonly string[] } = {}) {
    for (const entry of options.allow ?? []) {
      const base = entry.split('/')[0] ?? '';
      if (parseIp(base)) this.#allowRanges.push(parseCidr(entry));
      else if (/^[a-z0-9.-]+$/i.test(entry)) this.#allowHosts.add(entry.toLowerCase());
      else throw new Error(`Allow-list entry "${entry}" is neither a CIDR range, an IP address nor a host name`);
    }
  }

  /** Whether a host name is blocked before resolution (cloud-metadata names). Returns the reason. */
  checkHost(host: string): string | undefined {
    const h = host.toLowerCase().replace(/\.$/, '');
    if (this.#allowHosts.has(h)) return undefined;
    return METADATA_HOSTS.has(h) ? 'cloud-metadata' : undefined;
  }

  /** The reason `address` (reached for `host`) is blocked, or undefined when it is allowed. */
  check(host: string, address: string): string | undefined {
    if (this.#allowHosts.has(host.toLowerCase())) return undefined;
    const ip = parseIp(address);
    if (!ip) return `unparseable address "${address}"`;
    const candidates = [ip];
    const v4 = embeddedIpv4(ip);
    if (v4) candidates.push(v4);
    for (const candidate of candidates) {
      if (this.#allowRanges.some((r) => cidrContains(r, candidate))) return undefined;
    }
    for (const candidate of candidates) {
      const hit = BLOCKED_RANGES.find((b) => cidrContains(b.range, candidate));
      if (hit) return hit.reason;
    }
    return undefined;
  }

  /** Throws {@link BlockedAddressError} when `address` is blocked. */
  assert(host: string, address: string): void {
    const reason = this.check(host, address);
    if (reason) throw new BlockedAddressError(host, address, reason);
  }
}
