import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_CLIENT } from '../../src/auth/oidc/dev/demoUsers.ts';
import { environment, loadConfig } from '../../src/config.ts';

describe('.env.example and npm run oidc:dev', () => {
  it('uncommenting the OIDC_* lines of .env.example connects the server to exactly the client oidc:dev registers', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const dir = mkdtempSync(path.join(tmpdir(), 'provesal-env-'));
    const file = path.join(dir, '.env');
    writeFileSync(file, example.replace(/^# (OIDC_[A-Z_]+=)/gm, '$1'));
    const c = loadConfig(environment(file, {}));
    expect(c.OIDC_ISSUER).toBe('http://127.0.0.1:4000');
    expect(c.OIDC_CLIENT_ID).toBe(DEV_CLIENT.clientId);
    expect(c.OIDC_CLIENT_SECRET).toBe(DEV_CLIENT.clientSecret);
    expect(DEV_CLIENT.redirectUris).toEqual([c.OIDC_REDIRECT_URI]);
    expect(DEV_CLIENT.postLogoutRedirectUris).toEqual([c.OIDC_POST_LOGOUT_REDIRECT_URI]);
  });

  it('lets the real environment win over .env', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'provesal-env-'));
    const file = path.join(dir, '.env');
    writeFileSync(file, 'PORT=3100\n# PORT=1\nLOG_LEVEL="debug"\n');
    expect(environment(file, { PORT: '3200' })).toMatchObject({ PORT: '3200', LOG_LEVEL: 'debug' });
    expect(environment(path.join(dir, 'missing'), { PORT: '3200' })).toEqual({ PORT: '3200' });
  });
});
