import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { jsonDepthExceeds } from '../../src/http/jsonDepth.ts';
import { isOwnOrigin, publicOrigin } from '../../src/http/publicOrigin.ts';

describe('production configuration (hardening points 4 and 12)', () => {
  it('refuses to start in production without PUBLIC_BASE_URL, naming it', () => {
    try {
      loadConfig({ NODE_ENV: 'production' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual([expect.stringMatching(/^PUBLIC_BASE_URL: required when NODE_ENV=production/)]);
    }
  });

  it('lists PUBLIC_BASE_URL together with the other bad variables in one error', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', PUBLIC_BASE_URL: 'not a url', PORT: 'x' })).toThrow(
      /PUBLIC_BASE_URL[\s\S]*PORT|PORT[\s\S]*PUBLIC_BASE_URL/,
    );
  });

  it('in production the demo is off and cookies are Secure unless set explicitly', () => {
    const c = loadConfig({ NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://provesal.example.dk' });
    expect(c.DEMO).toBe(false);
    expect(c.COOKIE_SECURE).toBe(true);
    const explicit = loadConfig({ NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://provesal.example.dk', DEMO: '1', COOKIE_SECURE: '0' });
    expect(explicit.DEMO).toBe(true);
    expect(explicit.COOKIE_SECURE).toBe(false);
  });

  it('outside production the bare-machine defaults stay: demo on, cookies without Secure', () => {
    const c = loadConfig({});
    expect(c.DEMO).toBe(true);
    expect(c.COOKIE_SECURE).toBe(false);
  });

  it('refuses a PUBLIC_BASE_URL that is not http(s)', () => {
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'javascript:alert(1)' })).toThrow(/PUBLIC_BASE_URL/);
  });
});

describe('JSON_BODY_LIMIT_BYTES (hardening point 5)', () => {
  it('defaults to 64 KiB and is configurable', () => {
    expect(loadConfig({}).JSON_BODY_LIMIT_BYTES).toBe(65536);
    expect(loadConfig({ JSON_BODY_LIMIT_BYTES: '131072' }).JSON_BODY_LIMIT_BYTES).toBe(131072);
    expect(() => loadConfig({ JSON_BODY_LIMIT_BYTES: '10' })).toThrow(/JSON_BODY_LIMIT_BYTES/);
  });
});

describe('publicOrigin: our origin from configuration alone', () => {
  const base = { HOST: '0.0.0.0', PORT: 3000 };
  it("is PUBLIC_BASE_URL's origin when set", () => {
    expect(publicOrigin({ ...base, PUBLIC_BASE_URL: 'https://provesal.example.dk/some/path' })).toBe('https://provesal.example.dk');
  });
  it('is http://localhost:PORT for a wildcard HOST, else the address HOST names', () => {
    expect(publicOrigin(base)).toBe('http://localhost:3000');
    expect(publicOrigin({ HOST: '127.0.0.1', PORT: 8080 })).toBe('http://127.0.0.1:8080');
    expect(publicOrigin({ HOST: '::1', PORT: 8080 })).toBe('http://[::1]:8080');
  });
  it('accepts the Host the browser addressed only without PUBLIC_BASE_URL', () => {
    expect(isOwnOrigin('http://192.168.1.5:3000', 'ws://192.168.1.5:3000/ws/answer/1', base)).toBe(true);
    expect(isOwnOrigin('https://evil.example', 'ws://192.168.1.5:3000/ws/answer/1', base)).toBe(false);
    const prod = { ...base, PUBLIC_BASE_URL: 'https://provesal.example.dk' };
    expect(isOwnOrigin('https://provesal.example.dk', 'wss://provesal.example.dk/ws/answer/1', prod)).toBe(true);
    expect(isOwnOrigin('https://other.example.dk', 'wss://other.example.dk/ws/answer/1', prod)).toBe(false);
    expect(isOwnOrigin('null', 'ws://localhost:3000/ws/answer/1', base)).toBe(false);
  });
});

describe('jsonDepthExceeds', () => {
  it.each([
    ['{}', 1, false],
    ['[]', 0, true],
    ['[[]]', 2, false],
    ['[[[]]]', 2, true],
    ['{"a":{"b":[1]}}', 3, false],
    ['{"a":{"b":[1]}}', 2, true],
    ['"[[[[[[[[["', 1, false],
    ['["\\"[[[["]', 1, false],
    ['{"a":"\\\\"}', 1, false],
  ])('%s with limit %i exceeds: %s', (text, limit, exceeds) => {
    expect(jsonDepthExceeds(text, limit)).toBe(exceeds);
  });
  it('walks 10 million levels without recursion, stopping at the limit', () => {
    expect(jsonDepthExceeds('['.repeat(10_000_000), 32)).toBe(true);
  });
});
