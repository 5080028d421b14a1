import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SECOND_FACTOR, demoUniLoginUsers } from '../../src/auth/oidc/dev/demoUsers.ts';
import { startUniLoginStandIn, type UniLoginStandIn } from '../../src/auth/oidc/dev/standIn.ts';
import { scenario } from './support/answerSocket.ts';
import { screenshot } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';
import { freePort } from '../../src/db/embedded.ts';

// Sign-in with UNI-Login in Chromium through a real OpenID provider's own login form (docs/rules.md §12).

let demo: Demo;
let op: UniLoginStandIn;
let pages: Page[] = [];

beforeAll(async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const client = {
    clientId: 'provesal-browser',
    clientSecret: 'browser-test-secret',
    redirectUris: [`${base}/api/auth/oidc/callback`],
    postLogoutRedirectUris: [`${base}/`],
  };
  op = await startUniLoginStandIn({ users: demoUniLoginUsers(), clients: [client] });
  demo = await startDemo({
    startsInSeconds: 600,
    env: {
      PORT: String(port),
      OIDC_ISSUER: op.issuer,
      OIDC_CLIENT_ID: client.clientId,
      OIDC_CLIENT_SECRET: client.clientSecret,
      OIDC_REDIRECT_URI: client.redirectUris[0],
      OIDC_CHECK_SECONDS: '2',
    },
  });
});
afterAll(async () => {
  await demo?.stop();
  await op?.close();
});

/** Opens the login page in a fresh browser, clicks a UNI-Login button and fills the provider's form. */
async function viaUniLogin(button: '#uni-login-pupil' | '#uni-login-staff', uniid: string, password: string, code = ''): Promise<Page> {
  const page = await demo.page();
  pages.push(page);
  await page.goto(demo.server.url);
  await page.click(button, { timeout: 15_000 }); // shown once the server has found the provider
  await page.waitForURL(`${op.issuer}/interaction/**`);
  await page.fill('#uniid', uniid);
  await page.fill('#password', password);
  if (code) await page.fill('#code', code);
  await page.click('#standin-login');
  return page;
}

describe('UNI-Login in Chromium', () => {
  it('signs a pupil in through the provider form and reaches the lobby', () =>
    scenario(
      'oidc-pupil',
      () => pages,
      async () => {
        const page = await viaUniLogin('#uni-login-pupil', 'elev01', 'elev-demo');
        await page.waitForFunction(() => /^\d{2}:\d{2}$/.test(document.querySelector('#countdown')?.textContent ?? ''), null, { timeout: 20_000 });
        expect(new URL(page.url()).origin).toBe(demo.server.url);
        await screenshot(page, 'oidc-pupil-lobby');
      },
    ));

  it('refuses a staff user who signed in with one factor, with the two-factor message', () =>
    scenario(
      'oidc-staff-one-factor',
      () => pages,
      async () => {
        const page = await viaUniLogin('#uni-login-staff', 'tilsyn1', 'tilsyn-demo');
        await page.waitForSelector('#login-problem', { timeout: 15_000 });
        expect(await page.textContent('#login-problem')).toMatch(/Din rolle kræver login med to faktorer/);
        expect((await page.context().cookies()).some((c) => c.name === 'provesal_session')).toBe(false);
        await screenshot(page, 'oidc-staff-refused');
      },
    ));

  it('lets a staff user with two factors in', () =>
    scenario(
      'oidc-staff-two-factors',
      () => pages,
      async () => {
        const page = await viaUniLogin('#uni-login-staff', 'tilsyn1', 'tilsyn-demo', DEMO_SECOND_FACTOR);
        await page.waitForSelector('h1:has-text("Vælg lokale"), .live-room', { timeout: 20_000 });
        expect(await page.textContent('#main')).not.toContain('Log ind');
      },
    ));
});

describe('the login page when UNI-Login is down', () => {
  it('says UNI-Login is unavailable and points to the one-time code', () =>
    scenario(
      'oidc-down',
      () => pages,
      async () => {
        pages = [];
        await op.close();
        const page = await demo.page();
        pages.push(page);
        // The server notices on its next check; a page loaded meanwhile still shows the buttons, so wait for the notice.
        await expect
          .poll(
            async () => {
              await page.goto(demo.server.url);
              return page.locator('#uni-login-down').isVisible();
            },
            { timeout: 30_000, interval: 1_000 },
          )
          .toBe(true);
        expect(await page.textContent('#uni-login-down')).toMatch(/engangskode/);
      },
    ));
});
