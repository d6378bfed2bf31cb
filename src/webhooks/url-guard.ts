import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { WebhooksConfig } from '../config';
import { allowList } from '../config/webhooks.config';

/** Address ranges that are not the public internet, by what they are. */
const RANGES: { kind: string; v4?: [string, number][]; v6?: [string, number][] }[] = [
  { kind: 'loopback', v4: [['127.0.0.0', 8]], v6: [['::1', 128]] },
  {
    kind: 'private',
    v4: [
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
      ['100.64.0.0', 10],
    ],
    v6: [['fc00::', 7]],
  },
  { kind: 'link-local', v4: [['169.254.0.0', 16]], v6: [['fe80::', 10]] },
  {
    kind: 'reserved',
    v4: [
      ['0.0.0.0', 8],
      ['192.0.0.0', 24],
      ['192.0.2.0', 24],
      ['198.18.0.0', 15],
      ['198.51.100.0', 24],
      ['203.0.113.0', 24],
      ['224.0.0.0', 4],
      ['240.0.0.0', 4],
    ],
    v6: [
      ['::', 128],
      ['ff00::', 8],
      ['2001:db8::', 32],
      ['64:ff9b:1::', 48],
    ],
  },
];
const LISTS = RANGES.map((r) => {
  const list = new BlockList();
  for (const [a, p] of r.v4 ?? []) list.addSubnet(a, p, 'ipv4');
  for (const [a, p] of r.v6 ?? []) list.addSubnet(a, p, 'ipv6');
  return { kind: r.kind, list };
});

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail counts as two). */
function groups(a: string): number[] {
  const words = (s: string) => (s ? s.split(':').flatMap((g) => (g.includes('.') ? ((n) => [n[0] * 256 + n[1], n[2] * 256 + n[3]])(g.split('.').map(Number)) : [parseInt(g, 16)])) : []);
  const [head, tail] = a.split('::');
  const h = words(head);
  const t = tail === undefined ? [] : words(tail);
  return tail === undefined ? h : [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/** The IPv4 address an IPv6 one reaches it through: NAT64 (64:ff9b::/96), 6to4 (2002::/16), IPv4-compatible (::/96); else null. */
function embeddedV4(address: string): string | null {
  if (isIP(address) !== 6) return null;
  const g = groups(address.toLowerCase());
  const v4 = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4(g[6], g[7]);
  if (g[0] === 0x2002) return v4(g[1], g[2]);
  if (g.slice(0, 6).every((x) => x === 0) && (g[6] > 0 || g[7] > 1)) return v4(g[6], g[7]);
  return null;
}

/**
 * "loopback", "private", "link-local", "reserved", or null for a public address. An IPv6 address
 * that carries an IPv4 one (mapped, NAT64, 6to4, IPv4-compatible) counts as that IPv4.
 */
export function addressKind(address: string): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const a = mapped ? mapped[1] : (embeddedV4(address) ?? address);
  const family = isIP(a) === 4 ? 'ipv4' : 'ipv6';
  for (const { kind, list } of LISTS) if (list.check(a, family)) return kind;
  return null;
}

/** A URL or address Forewarn will not call; `reason` is said to the admin (field "url"). */
export class UrlRefusedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UrlRefusedError';
  }
}

/**
 * The rules for calling out (webhooks, chat), from typed config: https only when requireHttps
 * (production); plain http only to loopback; private, loopback, link-local and reserved addresses
 * only when allowPrivateNetworks (development) or inside an allowed network. Checked when a URL is
 * registered and again on every connection (the resolved address, so a name that later resolves
 * elsewhere — DNS rebinding — is refused at delivery time).
 */
export class UrlPolicy {
  private readonly allowed: BlockList;

  constructor(private readonly cfg: Pick<WebhooksConfig, 'requireHttps' | 'allowPrivateNetworks' | 'allowedNetworks'>) {
    this.allowed = allowList(cfg.allowedNetworks);
  }

  /** The URL's own form: scheme, no credentials, a host. Throws UrlRefusedError. */
  checkForm(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new UrlRefusedError('is not an absolute URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UrlRefusedError(`must be https (not ${url.protocol.replace(':', '')})`);
    if (url.protocol === 'http:' && this.cfg.requireHttps) throw new UrlRefusedError('must be https');
    if (url.username || url.password) throw new UrlRefusedError('must not carry a user name or password');
    if (!url.hostname) throw new UrlRefusedError('has no host');
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal)) this.checkAddress(literal, url.protocol);
    return url;
  }

  /** One resolved (or literal) address for a URL of this scheme. Throws UrlRefusedError. */
  checkAddress(address: string, protocol: string): void {
    const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    if (this.allowed.check(address, family)) return;
    const kind = addressKind(address);
    if (protocol === 'http:' && kind !== 'loopback') throw new UrlRefusedError(`plain http is allowed only to loopback; ${address} is not (use https)`);
    if (kind && !this.cfg.allowPrivateNetworks) throw new UrlRefusedError(`resolves to ${address}, a ${kind} address (not allowed here; see WEBHOOK_ALLOWED_NETWORKS)`);
  }

  /** Registration: the form, then every address the host resolves to now. */
  async check(raw: string): Promise<URL> {
    const url = this.checkForm(raw);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return url;
    const addresses = await new Promise<LookupAddress[]>((resolve, reject) => dnsLookup(host, { all: true }, (err, a) => (err ? reject(err) : resolve(a)))).catch(() => {
      throw new UrlRefusedError(`host ${host} does not resolve`);
    });
    for (const a of addresses) this.checkAddress(a.address, url.protocol);
    return url;
  }

  /**
   * A `lookup` for http(s).Agent: resolves the name and refuses the connection unless every address
   * passes, so the address connected to is the address checked.
   */
  lookupFor(protocol: string) {
    return (hostname: string, options: { all?: boolean; family?: number }, cb: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void => {
      dnsLookup(hostname, { all: true, family: options.family }, (err, addresses) => {
        if (err) return cb(err, '', 0);
        try {
          for (const a of addresses) this.checkAddress(a.address, protocol);
        } catch (refused) {
          return cb(refused as NodeJS.ErrnoException, '', 0);
        }
        if (options.all) return cb(null, addresses);
        cb(null, addresses[0].address, addresses[0].family);
      });
    };
  }
}
