import { describe, expect, it } from 'vitest';
import { AddressPolicy } from './address-policy.js';
import { parseIp } from './ip-address.js';

describe('AddressPolicy', () => {
  const policy = new AddressPolicy();
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (and cloud metadata 169.254.169.254)'],
    ['100.100.100.200', 'carrier-grade NAT (and cloud metadata 100.100.100.200)'],
    ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1%eth0', 'link-local'],
    ['fd00:ec2::254', 'unique local (and cloud metadata fd00:ec2::254)'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:a9fe:a9fe]', 'link-local (and cloud metadata 169.254.169.254)'],
    ['64:ff9b::10.0.0.1', 'private'],
  ])('blocks %s (%s)', (address, reason) => {
    expect(policy.check('h', address)).toBe(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700::1111', '::ffff:8.8.8.8', '172.32.0.1', '100.128.0.1'])(
    'allows public %s',
    (address) => {
      expect(policy.check('h', address)).toBeUndefined();
    },
  );

  it('permits what the allow-list names, by range or host, and nothing more', () => {
    const p = new AddressPolicy({ allow: ['127.0.0.1/32', 'internal.example'] });
    expect(p.check('h', '127.0.0.1')).toBeUndefined();
    expect(p.check('h', '::ffff:127.0.0.1')).toBeUndefined();
    expect(p.check('h', '127.0.0.2')).toBe('loopback');
    expect(p.check('internal.example', '10.0.0.5')).toBeUndefined();
    expect(p.checkHost('metadata.google.internal')).toBe('cloud-metadata');
  });

  it('rejects malformed allow-list entries with the entry named', () => {
    expect(() => new AddressPolicy({ allow: ['10.0.0.0/40'] })).toThrow(/"10.0.0.0\/40".*prefix/);
    expect(() => new AddressPolicy({ allow: ['not a host!'] })).toThrow(/"not a host!"/);
  });

  it('parses IPv6 with embedded IPv4 and zones', () => {
    expect([...(parseIp('::ffff:1.2.3.4')?.bytes ?? [])].slice(10)).toEqual([255, 255, 1, 2, 3, 4]);
    expect(parseIp('example.com')).toBeUndefined();
  });
});
