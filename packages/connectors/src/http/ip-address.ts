import { isIP } from 'node:net';

/**
 * A parsed IP address: 4 bytes for IPv4, 16 for IPv6.
 *
 * @example
 * ```ts
 * const ip: IpAddress | undefined = parseIp('10.0.0.1'); // { version: 4, bytes: [10, 0, 0, 1] }
 * ```
 */
export interface IpAddress {
  version: 4 | 6;
  bytes: Uint8Array;
}

/**
 * Parses an IPv4 or IPv6 literal (brackets and zone ids allowed) into bytes, or returns undefined
 * when the text is not an IP address.
 *
 * @example
 * ```ts
 * parseIp('::ffff:127.0.0.1'); // { version: 6, bytes: Uint8Array(16) [...] }
 * parseIp('example.com'); // undefined
 * ```
 */
export function parseIp(text: string): IpAddress | undefined {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const kind = isIP(s);
  if (kind === 4) return { version: 4, bytes: Uint8Array.from(s.split('.').map(Number)) };
  if (kind !== 6) return undefined;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tail = s
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const [head = '', rest] = s.split('::');
  const parseGroups = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const left = parseGroups(head);
  const right = rest === undefined ? [] : parseGroups(rest);
  const groups = [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  if (tail.length === 4) bytes.set(tail, 12);
  return { version: 6, bytes };
}

/**
 * The IPv4 address embedded in an IPv4-mapped (`::ffff:a.b.c.d`) or IPv4-compatible IPv6 address.
 *
 * @example
 * ```ts
 * embeddedIpv4(parseIp('::ffff:127.0.0.1')!); // { version: 4, bytes: [127, 0, 0, 1] }
 * ```
 */
export function embeddedIpv4(ip: IpAddress): IpAddress | undefined {
  if (ip.version !== 6) return undefined;
  const b = ip.bytes;
  const zeros = (from: number, to: number) => b.subarray(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return { version: 4, bytes: b.slice(12) };
  // NAT64 well-known prefix 64:ff9b::/96 carries an IPv4 address in its last 32 bits.
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) {
    return { version: 4, bytes: b.slice(12) };
  }
  return undefined;
}

/**
 * A CIDR range such as `10.0.0.0/8` or `fe80::/10`.
 *
 * @example
 * ```ts
 * const range: CidrRange = parseCidr('fc00::/7');
 * ```
 */
export interface CidrRange {
  text: string;
  ip: IpAddress;
  prefix: number;
}

/**
 * Parses `address/prefix` (or a bare address, meaning a single host).
 *
 * @example
 * ```ts
 * cidrContains(parseCidr('127.0.0.0/8'), parseIp('127.0.0.1')!); // true
 * ```
 */
export function parseCidr(text: string): CidrRange {
  const [addr = '', prefixText] = text.split('/');
  const ip = parseIp(addr);
  if (!ip) throw new Error(`"${text}" is not a CIDR range: "${addr}" is not an IP address`);
  const max = ip.version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new Error(`"${text}" is not a CIDR range: prefix must be an integer from 0 to ${max}`);
  }
  return { text, ip, prefix };
}

/**
 * Whether `ip` lies inside `range` (same IP version only).
 *
 * @example
 * ```ts
 * cidrContains(parseCidr('10.0.0.0/8'), parseIp('10.1.2.3')!); // true
 * ```
 */
export function cidrContains(range: CidrRange, ip: IpAddress): boolean {
  if (range.ip.version !== ip.version) return false;
  let bits = range.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((range.ip.bytes[i] ?? 0) & mask) !== ((ip.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}
