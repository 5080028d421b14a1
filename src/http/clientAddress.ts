import { BlockList, isIP } from 'node:net';
import type { Config } from '../config.ts';

/** Which X-Forwarded-For entries we may believe (built once from the configuration). */
export interface ProxyTrust {
  /** Proxies in front of the app that append to X-Forwarded-For; 0 = ignore the header. */
  hops: number;
  /** Or the proxies' addresses: the header is read only from one of them. */
  proxies: BlockList | null;
}

export function proxyTrustFrom(config: Pick<Config, 'TRUST_PROXY_HOPS' | 'TRUST_PROXY_ADDRESSES'>): ProxyTrust {
  if (!config.TRUST_PROXY_ADDRESSES.length) return { hops: config.TRUST_PROXY_HOPS, proxies: null };
  const proxies = new BlockList();
  for (const entry of config.TRUST_PROXY_ADDRESSES) {
    const [ip, bits] = entry.split('/');
    const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) proxies.addAddress(ip, family);
    else proxies.addSubnet(ip, Number(bits), family);
  }
  return { hops: 0, proxies };
}

/**
 * The caller's address. Every proxy appends the address it received the request from, so only the entries our
 * own proxies wrote are true; whatever the client sent comes first and is ignored (the first entry is the
 * client's to choose — taking it let anyone pick the address their failures are counted against).
 */
export function clientAddressFrom(socketAddress: string | undefined, forwardedFor: string | undefined, trust: ProxyTrust): string {
  const peer = normaliseAddress(socketAddress) ?? 'unknown';
  if (!forwardedFor || (trust.hops === 0 && !trust.proxies)) return peer;
  const entries = forwardedFor
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (!entries.length) return peer;

  if (trust.proxies) {
    const proxies = trust.proxies;
    if (!isTrusted(proxies, peer)) return peer; // reached us directly: its header is its own word
    let nearest = peer;
    for (let i = entries.length - 1; i >= 0; i--) {
      const hop = normaliseAddress(entries[i]);
      if (!hop) return nearest; // a proxy of ours wrote nonsense: the last address we can vouch for
      if (!isTrusted(proxies, hop)) return hop;
      nearest = hop;
    }
    return nearest;
  }
  // With fewer entries than hops the request skipped a proxy; the leftmost is then the best we know.
  return normaliseAddress(entries[Math.max(0, entries.length - trust.hops)]) ?? peer;
}

/** `::ffff:10.0.0.1`, `10.0.0.1:5678` and `[::1]:443` as plain addresses; null when it is not an address. */
export function normaliseAddress(raw: string | undefined): string | null {
  if (!raw) return null;
  let a = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  a = a.toLowerCase();
  if (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4) a = a.slice(7);
  return isIP(a) ? a : null;
}

function isTrusted(proxies: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && proxies.check(address, family === 6 ? 'ipv6' : 'ipv4');
}
