import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer } from '../support/serverProcess.ts';
import { loginOverHttp, postJson } from '../support/http.ts';
import { screenshot, signIn } from './support/browser.ts';
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

const { registrationOf, stored, submissions, saveState, waitSaved, waitWarning, waitText, openExam } = pupilProbes(() => demo);

describe('the answer survives what goes wrong in a classroom (Chromium)', () => {
  it('a server killed mid-typing: the page warns, keeps taking text, and saves all of it after the restart without a reload', async () => {
    const page = await demo.page();
    await scenario(
      'resilience-restart',
      () => [page],
      async () => {
        await openExam(page, 'elev02');
        await page.click('.answer-editor');
        await page.keyboard.type('Før nedbruddet skrev jeg om søen.');
        await waitSaved(page);

        const port = demo.server.port;
        await demo.server.kill('SIGKILL');
        await waitWarning(page);
        expect(await page.getAttribute('#save-warning', 'role')).toBe('alert');
        await page.keyboard.type(' Imens skrev jeg videre på ærøskøbing.');
        expect(await saveState(page)).not.toMatch(/Gemt/);
        await screenshot(page, 'candidate-offline');

        demo.server = await spawnServer({ DATABASE_URL: demo.database.url, DEMO: '1', PORT: String(port) });
        await waitSaved(page, 40_000);
        expect(await page.isHidden('#save-warning')).toBe(true);
        expect(await stored('elev02')).toBe('Før nedbruddet skrev jeg om søen. Imens skrev jeg videre på ærøskøbing.');
      },
    );
  });

  it('a reload while the answer socket is refused shows the text at once from IndexedDB, says it is not saved, and saves once the socket is back', async () => {
    const page = await demo.page();
    await scenario(
      'resilience-reload',
      () => [page],
      async () => {
        const net = await interceptAnswerSocket(page);
        await openExam(page, 'elev03');
        await page.click('.answer-editor');
        await page.keyboard.type('Første afsnit.');
        await waitSaved(page);
        // The network goes (the browser says so) and the socket is turned away; the pupil writes on, then reloads
        // at once — before IndexedDB has committed the last keystrokes.
        net.refuse();
        await page.evaluate(() => window.dispatchEvent(new Event('offline')));
        await page.keyboard.type(' Skrevet uden forbindelse.');
        await waitWarning(page);
        page.on('dialog', (d) => void d.accept()); // the beforeunload warning: unsaved edits exist
        await page.reload();
        await waitText(page, 'Første afsnit. Skrevet uden forbindelse.', 10_000);
        await waitWarning(page);
        expect(await saveState(page)).not.toMatch(/Gemt/);

        net.pass();
        await waitSaved(page, 40_000);
        expect(await stored('elev03')).toBe('Første afsnit. Skrevet uden forbindelse.');
      },
    );
  });

  it("a second device waits for the invigilator's permission, then takes over: the first page turns read-only, the second shows the text", async () => {
    const first = await demo.page();
    const second = await demo.page();
    await scenario(
      'resilience-takeover',
      () => [first, second],
      async () => {
        await openExam(first, 'elev04');
        await first.click('.answer-editor');
        await first.keyboard.type('Skrevet på den første computer.');
        await waitSaved(first);

        await signIn(second, demo.server.url, 'elev04', 'elev-demo');
        await second.waitForSelector('#exam-banner >> text=åben på en anden computer', { timeout: 20_000 });
        expect(await first.getAttribute('.answer-editor', 'contenteditable')).toBe('true');
        const invigilator = await loginOverHttp(demo.server.url, 'tilsyn1', 'tilsyn-demo');
        const allowed = await postJson(demo.server.url, `/api/invigilation/registrations/${await registrationOf('elev04')}/device-switch`, invigilator, {
          reason: 'Elevens computer skal skiftes',
        });
        expect(allowed.status).toBe(200);
        await waitText(second, 'Skrevet på den første computer.', 15_000);
        await first.waitForSelector('#exam-banner >> text=Du fortsætter på en anden enhed', { timeout: 10_000 });
        expect(await first.getAttribute('.answer-editor', 'contenteditable')).toBe('false');
        await screenshot(first, 'candidate-replaced');
        await second.click('.answer-editor');
        await second.keyboard.press('End');
        await second.keyboard.type(' Og videre på den anden.');
        await waitSaved(second);
        expect(await stored('elev04')).toBe('Skrevet på den første computer. Og videre på den anden.');
      },
    );
  });

  it('keyboard only: shortcuts format, Alt+F10 reaches the toolbar, and a language switch keeps the same page writing', async () => {
    const page = await demo.page();
    await scenario(
      'resilience-keyboard',
      () => [page],
      async () => {
        await openExam(page, 'elev05');
        await page.focus('.answer-editor');
        await page.keyboard.press('Control+Alt+2');
        await page.keyboard.type('Min overskrift');
        await page.keyboard.press('Enter');
        await page.keyboard.type('Et ');
        await page.keyboard.press('Control+b');
        await page.keyboard.type('vigtigt');
        await page.keyboard.press('Control+b');
        await page.keyboard.type(' ord.');
        await page.keyboard.press('Enter');
        await page.keyboard.press('Alt+F10');
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Overskrift');
        for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Indsæt tabel');
        await page.keyboard.press('Enter');
        await page.keyboard.type('celle');
        const html = await page.innerHTML('.answer-editor');
        expect(html).toContain('<h2>Min overskrift</h2>');
        expect(html).toContain('<strong>vigtigt</strong>');
        expect(html, html).toMatch(/<table[\s\S]*celle/);
        await waitSaved(page);

        // The view is rebuilt in English; the old page's socket must not come back and take over.
        await page.click('#lang-toggle');
        await page.waitForSelector('.answer-editor[contenteditable="true"]');
        await page.waitForFunction(() => /Saved \d{2}:\d{2}:\d{2}/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 15_000 });
        await page.waitForTimeout(3_000);
        expect(await page.isHidden('#exam-banner')).toBe(true);
        expect(await page.getAttribute('.answer-editor', 'contenteditable')).toBe('true');
        expect(await stored('elev05')).toBe('Min overskrift\nEt vigtigt ord.\ncelle');
      },
    );
  });

  it('hand-in waits for the last edits: while they are unacknowledged the dialog says "Gemmer dine sidste ændringer…" and nothing is handed in; then the receipt covers them', async () => {
    const page = await demo.page();
    await scenario(
      'resilience-handin-wait',
      () => [page],
      async () => {
        const net = await interceptAnswerSocket(page);
        await openExam(page, 'elev07');
        await page.click('.answer-editor');
        await page.keyboard.type('Det første er gemt.');
        await waitSaved(page);
        net.hold();
        await page.keyboard.type(' Det sidste er på vej.');
        await page.click('#hand-in');
        await page.check('#honour');
        await page.click('#confirm-hand-in');
        await page.waitForSelector('dialog >> text=Gemmer dine sidste ændringer…');
        await page.waitForTimeout(1_000);
        expect(await submissions('elev07')).toEqual([]);

        net.pass();
        await page.waitForSelector('#receipt-sha256', { timeout: 20_000 });
        expect(await submissions('elev07')).toEqual([{ plain_text: 'Det første er gemt. Det sidste er på vej.' }]);
      },
    );
  });

  it('a session that ends mid-exam: the sign-in page says why, and after signing in again the text typed meanwhile is there and saved', async () => {
    const page = await demo.page();
    await scenario(
      'resilience-signed-out',
      () => [page],
      async () => {
        const net = await interceptAnswerSocket(page);
        await openExam(page, 'elev10');
        await page.click('.answer-editor');
        await page.keyboard.type('Inden udlogningen.');
        await waitSaved(page);
        net.drop(); // these keystrokes never reach the server on this connection
        await page.keyboard.type(' Efter udlogningen.');
        await demo.database.db.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE username = 'elev10')`);
        net.pass();
        net.cut(); // the reconnect meets the ended session: 4401

        await page.waitForSelector('.login >> text=Du er blevet logget ud', { timeout: 20_000 });
        await page.fill('#username', 'elev10');
        await page.fill('#password', 'elev-demo');
        await page.click('form[aria-labelledby="pw-title"] button[type="submit"]');
        await waitText(page, 'Inden udlogningen. Efter udlogningen.');
        await waitSaved(page);
        expect(await stored('elev10')).toBe('Inden udlogningen. Efter udlogningen.');
      },
    );
  });
  it('an overloaded server when the pupil opens the exam: the page says to wait, keeps no blank screen, and gets to the exam by itself', async () => {
    const page = await demo.page();
    await scenario(
      'resilience-overloaded',
      () => [page],
      async () => {
        let refusals = 1;
        await page.route('**/api/exam/registrations/*', (route) =>
          refusals-- > 0
            ? route.fulfill({
                status: 503,
                contentType: 'application/problem+json',
                body: JSON.stringify({ type: 'urn:provesal:problem:overloaded', title: 'Overloaded', detail: 'Serveren har travlt lige nu.' }),
              })
            : route.continue(),
        );
        await signIn(page, demo.server.url, 'elev11', 'elev-demo');
        await page.waitForSelector('[role="alert"] >> text=Vent et øjeblik', { timeout: 10_000 });
        expect(await page.textContent('main')).toContain('Serveren har travlt lige nu.');
        await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 20_000 });
      },
    );
  });
});
