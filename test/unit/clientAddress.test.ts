import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { clientAddressFrom, normaliseAddress, proxyTrustFrom } from '../../src/http/clientAddress.ts';

const hops = (n: number) => proxyTrustFrom(loadConfig({ TRUST_PROXY_HOPS: String(n) }));
const byAddress = (list: string) => proxyTrustFrom(loadConfig({ TRUST_PROXY_ADDRESSES: list }));

describe('client address behind proxies', () => {
  it('ignores X-Forwarded-For unless a proxy is trusted', () => {
    expect(clientAddressFrom('203.0.113.9', '6.6.6.6', hops(0))).toBe('203.0.113.9');
  });

  it('with one trusted hop takes the entry our proxy appended, not the forged first one', () => {
    expect(clientAddressFrom('10.0.0.2', '6.6.6.6, 7.7.7.7, 198.51.100.4', hops(1))).toBe('198.51.100.4');
    expect(clientAddressFrom('10.0.0.2', '198.51.100.4', hops(1))).toBe('198.51.100.4');
  });

  it('with two hops takes the second entry from the right; with fewer entries than hops the leftmost', () => {
    expect(clientAddressFrom('10.0.0.2', '6.6.6.6, 198.51.100.4, 10.0.0.1', hops(2))).toBe('198.51.100.4');
    expect(clientAddressFrom('10.0.0.2', '198.51.100.4', hops(2))).toBe('198.51.100.4');
  });

  it('falls back to the socket when the chosen entry is not an address', () => {
    expect(clientAddressFrom('10.0.0.2', 'nonsense', hops(1))).toBe('10.0.0.2');
    expect(clientAddressFrom(undefined, undefined, hops(1))).toBe('unknown');
  });

  it('by proxy address: reads the header only from a listed proxy and walks past every listed hop', () => {
    const trust = byAddress('10.0.0.0/8, 192.0.2.1');
    expect(clientAddressFrom('10.0.0.2', '6.6.6.6, 198.51.100.4, 192.0.2.1', trust)).toBe('198.51.100.4');
    expect(clientAddressFrom('::ffff:10.0.0.2', '198.51.100.4', trust)).toBe('198.51.100.4');
    expect(clientAddressFrom('203.0.113.9', '6.6.6.6', trust)).toBe('203.0.113.9');
    expect(clientAddressFrom('10.0.0.2', '10.0.0.3', trust)).toBe('10.0.0.3');
  });

  it('normalises mapped IPv4, ports and brackets, and refuses what is not an address', () => {
    expect(normaliseAddress('::FFFF:10.1.2.3')).toBe('10.1.2.3');
    expect(normaliseAddress('10.1.2.3:5678')).toBe('10.1.2.3');
    expect(normaliseAddress('[2001:DB8::1]:443')).toBe('2001:db8::1');
    expect(normaliseAddress('unknown')).toBeNull();
  });
});

describe('proxy configuration', () => {
  it('reads TRUST_PROXY=1 alone as one trusted hop, and hops or proxy addresses as TRUST_PROXY', () => {
    expect(loadConfig({ TRUST_PROXY: '1' })).toMatchObject({ TRUST_PROXY: true, TRUST_PROXY_HOPS: 1 });
    expect(loadConfig({ TRUST_PROXY_HOPS: '2' })).toMatchObject({ TRUST_PROXY: true, TRUST_PROXY_HOPS: 2 });
    expect(loadConfig({ TRUST_PROXY_ADDRESSES: '10.0.0.1' })).toMatchObject({ TRUST_PROXY: true, TRUST_PROXY_HOPS: 0 });
    expect(loadConfig({})).toMatchObject({ TRUST_PROXY: false, TRUST_PROXY_HOPS: 0, TRUST_PROXY_ADDRESSES: [] });
  });

  it('lists every bad proxy and limit value in one error', () => {
    try {
      loadConfig({ TRUST_PROXY_HOPS: '-1', TRUST_PROXY_ADDRESSES: '10.0.0.1, nginx, 10.0.0.0/33', LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE: '0' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toContain('TRUST_PROXY_HOPS');
      expect(msg).toMatch(/TRUST_PROXY_ADDRESSES\.1: not an IP address/);
      expect(msg).toMatch(/TRUST_PROXY_ADDRESSES\.2: not an IP address/);
      expect(msg).toContain('LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE');
    }
    expect(() => loadConfig({ TRUST_PROXY_HOPS: '1', TRUST_PROXY_ADDRESSES: '10.0.0.1' })).toThrow(/not both/);
  });

  it('deploy/nginx.conf overwrites X-Forwarded-For with the address it was connected from', () => {
    const conf = readFileSync(new URL('../../deploy/nginx.conf', import.meta.url), 'utf8').replace(/#.*$/gm, '');
    const xff = [...conf.matchAll(/proxy_set_header\s+X-Forwarded-For\s+(\S+);/g)].map((m) => m[1]);
    expect(xff.length).toBeGreaterThan(0);
    expect(new Set(xff)).toEqual(new Set(['$remote_addr']));
  });
});
