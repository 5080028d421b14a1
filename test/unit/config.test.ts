import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('has working defaults on a bare machine', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.DEMO).toBe(true);
  });
  it('lists every bad variable in one error', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', BCRYPT_COST: '4' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg).toContain('PORT');
      expect(msg).toContain('DATABASE_URL');
      expect(msg).toContain('BCRYPT_COST');
    }
  });
  it('requires the signing password with a signing certificate', () => {
    expect(() => loadConfig({ SIGNING_P12_PATH: '/x.p12' })).toThrow(/SIGNING_P12_PASSWORD/);
  });
  it('reads DEMO=0 as off', () => {
    expect(loadConfig({ DEMO: '0' }).DEMO).toBe(false);
  });
});
