import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/poll.ts';
import { signIn } from './support/browser.ts';
import { scenario } from './support/answerSocket.ts';
import { startDemo, type Demo } from './support/demo.ts';
import { transitionState } from './support/focus.ts';

// docs/accessibility.md, "The pupil": opening the page without a connection shows the answer from the browser's
// copy with a calm word, not a bare "Ingen forbindelse til serveren.".
let demo: Demo;
let page: Page;

beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 0 });
  page = await demo.page();
});
afterAll(async () => {
  await demo?.stop();
});

const saved = () => page.waitForFunction(() => /Gemt \d{2}/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 20_000 });

describe('opening the exam page offline (Chromium)', () => {
  it('reloads without a connection into the running exam with the text from IndexedDB and a calm message; back online it is saved', async () => {
    await scenario(
      'offline-start',
      () => [page],
      async () => {
        await signIn(page, demo.server.url, 'elev08', 'elev-demo');
        await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 30_000 });
        await page.click('.answer-editor');
        await page.keyboard.type('Skrevet før nettet forsvandt.');
        await saved();
        // The page keeps its files once the service worker has them; give it a moment to be in control.
        // (evaluate awaits the cache; waitForFunction would take the returned promise itself as truthy)
        const cached = () => page.evaluate(async () => (await (await caches.open('provesal-shell-v1')).keys()).length);
        await until(async () => (await cached()) > 2, { what: 'the shell in the service worker cache', timeoutMs: 10_000 });

        await page.context().setOffline(true);
        await page.reload();
        await page.waitForSelector('.answer-editor', { timeout: 20_000 });
        await page.waitForFunction(() => document.querySelector('.answer-editor')?.textContent?.includes('Skrevet før nettet forsvandt.'), null, {
          timeout: 10_000,
        });
        const banner = (await page.textContent('#exam-banner'))!;
        expect(banner).toBe(
          'Der er ingen forbindelse lige nu, men du kan skrive videre. Din besvarelse er hentet fra browserens kopi, og den sendes til serveren, når forbindelsen er tilbage.',
        );
        expect(await page.isVisible('#exam-banner')).toBe(true);
        expect(await page.$('text=Ingen forbindelse til serveren.')).toBeNull();
        const state = await transitionState(page);
        expect(state.title).toBe('Prøve i gang: Dansk – skriftlig fremstilling – Prøvesal');
        expect(state.announced).toBe(banner);

        // Writing goes on into the browser's copy, and reaches the server once the connection is back.
        expect(await page.getAttribute('.answer-editor', 'contenteditable')).toBe('true');
        await page.click('.answer-editor');
        await page.keyboard.press('Control+End');
        await page.keyboard.type(' Og skrevet uden net.');
        await page.context().setOffline(false);
        await saved();
        expect(await page.isHidden('#exam-banner')).toBe(true);
      },
    );
  });
});
