import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const dev = {
  OIDC_ISSUER: 'http://127.0.0.1:4000',
  OIDC_CLIENT_ID: 'provesal-dev',
  OIDC_CLIENT_SECRET: 'hemmelig',
  OIDC_REDIRECT_URI: 'http://127.0.0.1:3000/api/auth/oidc/callback',
};
const problemsOf = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('UNI-Login configuration', () => {
  it('is off by default, with every role allowed to use a password and staff needing two factors', () => {
    const c = loadConfig({});
    expect(c.OIDC_ISSUER).toBeUndefined();
    expect(c.PASSWORD_LOGIN_ROLES).toEqual(['candidate', 'invigilator', 'school_admin', 'grader', 'ministry']);
    expect([c.OIDC_MIN_LOA_CANDIDATE, c.OIDC_MIN_LOA_INVIGILATOR, c.OIDC_MIN_LOA_MINISTRY]).toEqual(['EnFaktor', 'ToFaktor', 'ToFaktor']);
  });

  it('accepts the four values that connect to npm run oidc:dev', () => {
    expect(loadConfig({ ...dev, OIDC_SCOPES: 'openid unilogin' })).toMatchObject({ ...dev, OIDC_SCOPES: 'openid unilogin' });
  });

  it('names every missing value when only some are set, together with other bad values', () => {
    const msg = problemsOf({ OIDC_ISSUER: dev.OIDC_ISSUER, PORT: 'abc' });
    expect(msg).toContain('PORT');
    for (const k of ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URI']) expect(msg).toContain(`${k}: required when OIDC_ISSUER is set`);
  });

  it('refuses plain http to another machine, a wrong callback path, scopes without openid, an unknown level and role in one message', () => {
    const msg = problemsOf({
      ...dev,
      OIDC_ISSUER: 'http://unilogin.example',
      OIDC_REDIRECT_URI: 'https://provesal.example/callback',
      OIDC_SCOPES: 'profile',
      OIDC_MIN_LOA_GRADER: 'TreFaktor',
      PASSWORD_LOGIN_ROLES: 'candidate,rektor',
    });
    for (const k of ['OIDC_ISSUER', 'OIDC_REDIRECT_URI', 'OIDC_SCOPES', 'OIDC_MIN_LOA_GRADER', 'PASSWORD_LOGIN_ROLES']) expect(msg).toContain(k);
  });

  it('reads PASSWORD_LOGIN_ROLES as a list', () => {
    expect(loadConfig({ PASSWORD_LOGIN_ROLES: 'candidate, invigilator' }).PASSWORD_LOGIN_ROLES).toEqual(['candidate', 'invigilator']);
  });
});
