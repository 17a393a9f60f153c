import ipaddr from 'ipaddr.js';

/**
 * What an address is, as far as outbound calls care. `public` is the only class reached by default;
 * `private` (RFC 1918, unique-local IPv6, carrier-grade NAT) with `OUTBOUND_ALLOW_PRIVATE`; every other
 * class only when allow-listed, and `metadata` never.
 */
export type AddressClass = 'public' | 'private' | 'loopback' | 'unspecified' | 'link_local' | 'metadata' | 'reserved';

/** Cloud instance-metadata services: their credentials must never be one request away. */
const METADATA_ADDRESSES = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254']);
const METADATA_HOSTS = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.internal',
]);

const PRIVATE_RANGES = new Set(['private', 'uniqueLocal', 'carrierGradeNat']);

/** A host name as compared: lower case, without a trailing dot or IPv6 brackets. */
export function normaliseHost(host: string): string {
  const h = host.trim().toLowerCase().replace(/\.+$/, '');
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

export function isMetadataHost(host: string): boolean {
  return METADATA_HOSTS.has(normaliseHost(host));
}

/**
 * Classifies an IP address. IPv4 inside IPv6 (mapped `::ffff:a.b.c.d`, translated, NAT64) is
 * classified as the IPv4 address it carries, so `[::ffff:127.0.0.1]` is loopback.
 */
export function classifyAddress(address: string): AddressClass {
  const ip = unwrap(ipaddr.parse(normaliseHost(address)));
  if (METADATA_ADDRESSES.has(ip.toNormalizedString()) || METADATA_ADDRESSES.has(ip.toString())) return 'metadata';
  const range = ip.range();
  if (range === 'unicast') {
    // The rest of ::/8 (IPv4-compatible and other reserved forms) is no place for an outbound call.
    return ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).parts[0] === 0 ? 'reserved' : 'public';
  }
  if (PRIVATE_RANGES.has(range)) return 'private';
  if (range === 'loopback') return 'loopback';
  if (range === 'unspecified') return 'unspecified';
  if (range === 'linkLocal') return 'link_local';
  return 'reserved'; // multicast, broadcast, documentation, benchmarking, 6to4, Teredo…
}

function unwrap(ip: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (ip.kind() === 'ipv4') return ip;
  const v6 = ip as ipaddr.IPv6;
  const range = v6.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052') {
    const [hi, lo] = [v6.parts[6]!, v6.parts[7]!];
    return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  }
  return v6;
}

/** `OUTBOUND_ALLOWLIST` entries: host names (exact), IP addresses and CIDR ranges. */
export class AllowList {
  private readonly hosts = new Set<string>();
  private readonly ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];

  constructor(entries: readonly string[]) {
    for (const raw of entries) {
      const entry = normaliseHost(raw);
      if (!entry) continue;
      if (entry.includes('/')) this.ranges.push(ipaddr.parseCIDR(entry));
      else if (ipaddr.isValid(entry)) {
        const ip = ipaddr.parse(entry);
        this.ranges.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
      } else this.hosts.add(entry);
    }
  }

  /** Whether an entry is valid (for the configuration check at boot). */
  static isValidEntry(raw: string): boolean {
    const entry = normaliseHost(raw);
    if (entry.includes('/')) return ipaddr.isValidCIDR(entry);
    return ipaddr.isValid(entry) || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(entry);
  }

  hasHost(host: string): boolean {
    return this.hosts.has(normaliseHost(host));
  }

  hasAddress(address: string): boolean {
    const ip = ipaddr.process(normaliseHost(address));
    return this.ranges.some(([base, bits]) => base.kind() === ip.kind() && ip.match(base, bits));
  }
}
