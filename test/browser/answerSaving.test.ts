import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.ts';
import { interceptAnswerSocket, scenario } from './support/answerSocket.ts';
import { startDemo, type Demo } from './support/demo.ts';
import { pupilProbes } from './support/pupilProbes.ts';

let demo: Demo;

beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 4 });
});
afterAll(async () => {
  await demo?.stop();
});

const { registrationOf, stored, waitSaved, waitWarning, openExam } = pupilProbes(() => demo);

describe('the answer is saved steadily and says so (Chromium)', () => {
  it('typing is coalesced: 60 keystrokes in about 1.5 s reach the server as a handful of update messages, and all of them arrive', async () => {
    const page = await demo.page();
    await scenario(
      'resilience-coalesce',
      () => [page],
      async () => {
        let updates = 0;
        page.on('websocket', (ws) =>
          ws.on('framesent', ({ payload }) => {
            // y-websocket: [0 = sync][2 = update]…
            if (typeof payload !== 'string' && payload[0] === 0 && payload[1] === 2) updates++;
          }),
        );
        await openExam(page, 'elev12');
        await page.click('.answer-editor');
        await page.waitForTimeout(500);
        updates = 0;
        const text = 'Tres tegn skrevet i et hug, ét ad gangen, og så gemt på én gang';
        await page.keyboard.type(text.slice(0, 60), { delay: 25 });
        await waitSaved(page);
        expect(updates).toBeGreaterThanOrEqual(2);
        expect(updates).toBeLessThanOrEqual(10);
        expect(await stored('elev12')).toBe(text.slice(0, 60));
      },
    );
  });
  it('steady typing for 12 s on a slow network, every message acknowledged within a second, never raises the "not saved" warning', async () => {
    const page = await demo.page();
    await scenario(
      'resilience-steady',
      () => [page],
      async () => {
        const net = await interceptAnswerSocket(page);
        net.latency(400); // acks come back later than the next keystroke: "all saved" is never true while typing
        await openExam(page, 'elev13');
        await page.evaluate(() => {
          const w = document.querySelector<HTMLElement>('#save-warning')!;
          new MutationObserver(() => {
            if (!w.hidden) document.body.dataset.warned = 'yes';
          }).observe(w, { attributes: true });
        });
        await page.click('.answer-editor');
        const sentence = 'Jeg skriver stille og roligt videre om søen og ællingerne. ';
        const started = Date.now();
        while (Date.now() - started < 12_000) await page.keyboard.type(sentence, { delay: 40 });
        await waitSaved(page);
        expect(await page.evaluate(() => document.body.dataset.warned ?? 'no')).toBe('no');
      },
    );
  });
  it('a connected socket whose edits stay unacknowledged for over 10 s shows "Gemmer…" and then the warning; it clears once they are saved', async () => {
    const page = await demo.page();
    await scenario(
      'resilience-stalled',
      () => [page],
      async () => {
        const net = await interceptAnswerSocket(page);
        await openExam(page, 'elev14');
        await page.click('.answer-editor');
        net.hold();
        const typedAt = Date.now();
        await page.keyboard.type('Serveren svarer ikke.');
        await page.waitForFunction(() => document.querySelector('#save-state')?.textContent === 'Gemmer…', null, { timeout: 5_000 });
        expect(await page.isHidden('#save-warning')).toBe(true);
        await waitWarning(page, 15_000);
        expect(Date.now() - typedAt).toBeGreaterThanOrEqual(10_000);
        net.pass();
        await waitSaved(page);
        expect(await page.isHidden('#save-warning')).toBe(true);
        expect(await stored('elev14')).toBe('Serveren svarer ikke.');
      },
    );
  });
  it('while two of its messages wait for acknowledgement the page holds further edits back, then sends them merged', async () => {
    const page = await demo.page();
    await scenario(
      'resilience-flow-control',
      () => [page],
      async () => {
        const net = await interceptAnswerSocket(page);
        await openExam(page, 'elev16');
        await page.click('.answer-editor');
        await page.waitForTimeout(500);
        net.hold(); // a node that does not get round to acknowledging
        const before = net.updatesFromPage();
        const updates = () => net.updatesFromPage() - before;
        const text = 'Mens serveren er bagud, venter siden med resten og sender det samlet bagefter.';
        await page.keyboard.type(text, { delay: 40 }); // ~3 s: ten merge windows of 300 ms
        await page.waitForTimeout(1_000);
        expect(updates()).toBe(2);
        net.pass();
        await waitSaved(page);
        expect(updates()).toBe(3); // the held edits went out as one message after the first acknowledgement
        expect(await stored('elev16')).toBe(text);
      },
    );
  });
  it('a locked answer (lockdown) stops writing with a call for the invigilator, and writing resumes by itself once unlocked', async () => {
    const page = await demo.page();
    await scenario(
      'resilience-locked',
      () => [page],
      async () => {
        const net = await interceptAnswerSocket(page);
        await openExam(page, 'elev15');
        await page.click('.answer-editor');
        await page.keyboard.type('Før låsen.');
        await waitSaved(page);
        const id = await registrationOf('elev15');
        await demo.database.db.query(`UPDATE registrations SET locked_reason = 'test: config key mismatch' WHERE id = $1`, [id]);
        net.cut(); // the reconnect meets the lock: 4423
        await page.waitForSelector('#exam-banner >> text=tilkald den tilsynsførende', { timeout: 15_000 });
        expect(await page.getAttribute('.answer-editor', 'contenteditable')).toBe('false');
        await screenshot(page, 'candidate-locked');

        await demo.database.db.query(`UPDATE registrations SET locked_reason = NULL WHERE id = $1`, [id]);
        await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 20_000 });
        expect(await page.isHidden('#exam-banner')).toBe(true);
        await page.click('.answer-editor');
        await page.keyboard.press('End');
        await page.keyboard.type(' Efter låsen.');
        await waitSaved(page);
        expect(await stored('elev15')).toBe('Før låsen. Efter låsen.');
      },
    );
  });
});
