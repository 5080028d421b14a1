import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interceptAnswerSocket, scenario } from './support/answerSocket.ts';
import { signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';

// Issue "exam-day experience", point 6 (docs/rules.md §13): the "not saved" warning stays in sight however far
// down a long answer the pupil has scrolled, on a narrow screen (the page scrolls) and a wide one (the answer
// scrolls in its own pane).
let demo: Demo;

beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 0 });
});
afterAll(async () => {
  await demo?.stop();
});

/** The warning's box lies wholly inside the window. */
const warningInSight = (page: Page) =>
  page.evaluate(() => {
    const w = document.querySelector<HTMLElement>('#save-warning');
    if (!w || w.hidden) return false;
    const r = w.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
  });

async function longAnswerThenStall(page: Page, username: string): Promise<void> {
  const net = await interceptAnswerSocket(page);
  await signIn(page, demo.server.url, username, 'elev-demo');
  await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 40_000 });
  await page.click('.answer-editor');
  for (let i = 1; i <= 60; i++) {
    await page.keyboard.insertText(`Afsnit ${i}: jeg skriver videre om søen, skoven og sommeren ved havet.`);
    await page.keyboard.press('Enter');
  }
  await page.waitForFunction(() => /Gemt \d{2}:\d{2}:\d{2}/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 20_000 });
  // The caret is at the end: the pupil is far down the answer, where the bar is long out of sight on a narrow screen.
  net.hold();
  await page.keyboard.type('Serveren svarer ikke.');
  await page.waitForFunction(() => !document.querySelector<HTMLElement>('#save-warning')?.hidden, null, { timeout: 20_000 });
}

describe('the "not saved" warning stays in sight (Chromium)', () => {
  it('on a narrow screen scrolled to the end of a long answer', async () => {
    const page = await demo.page({ viewport: { width: 700, height: 600 } });
    await scenario(
      'sticky-warning-narrow',
      () => [page],
      async () => {
        await longAnswerThenStall(page, 'elev21');
        expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(600);
        expect(await warningInSight(page)).toBe(true);
      },
    );
  });

  it('on a wide screen, where the answer scrolls in its own pane', async () => {
    const page = await demo.page({ viewport: { width: 1280, height: 720 } });
    await scenario(
      'sticky-warning-wide',
      () => [page],
      async () => {
        await longAnswerThenStall(page, 'elev22');
        expect(await warningInSight(page)).toBe(true);
      },
    );
  });
});
