import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer } from '../support/serverProcess.ts';
import { storedAnswerText } from '../support/storedAnswer.ts';
import { screenshot, signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';

let demo: Demo;

beforeAll(async () => { demo = await startDemo({ startsInSeconds: 4 }); });
afterAll(async () => { await demo?.stop(); });

const registrationOf = async (username: string): Promise<number> => Number((await demo.database.db.query(
  `SELECT r.id FROM registrations r JOIN candidates c ON c.id = r.candidate_id JOIN users u ON u.id = c.user_id WHERE u.username = $1`,
  [username])).rows[0].id);
const saveState = (page: Page) => page.textContent('#save-state').then((t) => t ?? '');
const waitSaved = (page: Page, timeout = 20_000) => page.waitForFunction(
  () => /Gemt \d{2}:\d{2}:\d{2}/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout });
const waitWarning = (page: Page, timeout = 20_000) => page.waitForFunction(
  () => { const w = document.querySelector<HTMLElement>('#save-warning'); return !!w && !w.hidden && /Ikke gemt på serveren/.test(w.textContent ?? ''); }, null, { timeout });
async function openExam(username: string): Promise<Page> {
  const page = await demo.page();
  await signIn(page, demo.server.url, username, 'elev-demo');
  await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 40_000 });
  return page;
}

describe('the answer survives what goes wrong in a classroom (Chromium)', () => {
  it('a server killed mid-typing: the page warns, keeps taking text, and saves all of it after the restart without a reload', async () => {
    const page = await openExam('elev02');
    try {
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
      expect(await storedAnswerText(demo.database.db, await registrationOf('elev02')))
        .toBe('Før nedbruddet skrev jeg om søen. Imens skrev jeg videre på ærøskøbing.');
    } catch (err) {
      await screenshot(page, 'resilience-restart-failure');
      throw err;
    } finally {
      await page.context().close();
    }
  });

  it('a reload while the answer socket is refused shows the text at once from IndexedDB, says it is not saved, and saves once the socket is back', async () => {
    const page = await openExam('elev03');
    try {
      await page.click('.answer-editor');
      await page.keyboard.type('Første afsnit.');
      await waitSaved(page);
      // The network loses the socket (a proxy drops it) and the pupil keeps writing, then reloads.
      let refuse = true;
      await page.routeWebSocket(/\/ws\/answer/, (ws) => { if (refuse) ws.close({ code: 1013, reason: 'try again later' }); else ws.connectToServer(); });
      await page.evaluate(() => window.dispatchEvent(new Event('offline')));
      await page.keyboard.type(' Skrevet uden forbindelse.');
      await waitWarning(page);
      page.on('dialog', (d) => void d.accept()); // the beforeunload warning: unsaved edits exist
      await page.reload();
      await page.waitForFunction(() => document.querySelector('.answer-editor')?.textContent?.includes('Første afsnit. Skrevet uden forbindelse.'), null, { timeout: 10_000 });
      await waitWarning(page);
      expect(await saveState(page)).not.toMatch(/Gemt/);

      refuse = false;
      await waitSaved(page, 40_000);
      expect(await storedAnswerText(demo.database.db, await registrationOf('elev03'))).toBe('Første afsnit. Skrevet uden forbindelse.');
    } catch (err) {
      await screenshot(page, 'resilience-reload-failure');
      throw err;
    } finally {
      await page.context().close();
    }
  });

  it('signing in on a second device takes over: the first page turns read-only with a message, the second shows the text', async () => {
    const first = await openExam('elev04');
    let second: Page | null = null;
    try {
      await first.click('.answer-editor');
      await first.keyboard.type('Skrevet på den første computer.');
      await waitSaved(first);

      second = await openExam('elev04');
      await second.waitForFunction(() => document.querySelector('.answer-editor')?.textContent?.includes('Skrevet på den første computer.'), null, { timeout: 10_000 });
      await first.waitForSelector('#exam-banner >> text=Du fortsætter på en anden enhed', { timeout: 10_000 });
      expect(await first.getAttribute('.answer-editor', 'contenteditable')).toBe('false');
      await screenshot(first, 'candidate-replaced');
      await second.click('.answer-editor');
      await second.keyboard.press('End');
      await second.keyboard.type(' Og videre på den anden.');
      await waitSaved(second);
      expect(await storedAnswerText(demo.database.db, await registrationOf('elev04'))).toBe('Skrevet på den første computer. Og videre på den anden.');
    } catch (err) {
      await screenshot(first, 'resilience-takeover-first-failure');
      if (second) await screenshot(second, 'resilience-takeover-second-failure');
      throw err;
    } finally {
      await first.context().close();
      await second?.context().close();
    }
  });
  it('keyboard only: shortcuts format, Alt+F10 reaches the toolbar, and a language switch keeps the same page writing', async () => {
    const page = await openExam('elev05');
    try {
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
      expect(html).toMatch(/<table[\s\S]*celle/);
      await waitSaved(page);

      // The view is rebuilt in English; the old page's socket must not come back and take over.
      await page.click('#lang-toggle');
      await page.waitForSelector('.answer-editor[contenteditable="true"]');
      await page.waitForFunction(() => /Saved \d{2}:\d{2}:\d{2}/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout: 15_000 });
      await page.waitForTimeout(3_000);
      expect(await page.isHidden('#exam-banner')).toBe(true);
      expect(await page.getAttribute('.answer-editor', 'contenteditable')).toBe('true');
      expect(await storedAnswerText(demo.database.db, await registrationOf('elev05'))).toBe('Min overskrift\nEt vigtigt ord.\ncelle');
    } catch (err) {
      await screenshot(page, 'resilience-keyboard-failure');
      throw err;
    } finally {
      await page.context().close();
    }
  });
  it('hand-in waits for the last edits: while they are unacknowledged the dialog says "Gemmer dine sidste ændringer…" and nothing is handed in; then the receipt covers them', async () => {
    const page = await demo.page();
    // A slow network between this page and the server: the page's messages can be held back.
    let hold = false;
    const held: (string | Buffer)[] = [];
    let toServer: ((m: string | Buffer) => void) | null = null;
    await page.routeWebSocket(/\/ws\/answer/, (ws) => {
      const server = ws.connectToServer();
      toServer = (m) => server.send(m);
      ws.onMessage((m) => { if (hold) held.push(m); else server.send(m); });
    });
    try {
      await signIn(page, demo.server.url, 'elev07', 'elev-demo');
      await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 40_000 });
      await page.click('.answer-editor');
      await page.keyboard.type('Det første er gemt.');
      await waitSaved(page);
      hold = true;
      await page.keyboard.type(' Det sidste er på vej.');
      await page.click('#hand-in');
      await page.check('#honour');
      await page.click('#confirm-hand-in');
      await page.waitForSelector('dialog >> text=Gemmer dine sidste ændringer…');
      await page.waitForTimeout(1_000);
      const submissions = async () => (await demo.database.db.query(
        `SELECT s.plain_text FROM submissions s JOIN registrations r ON r.id = s.registration_id JOIN candidates c ON c.id = r.candidate_id
           JOIN users u ON u.id = c.user_id WHERE u.username = 'elev07'`)).rows;
      expect(await submissions()).toEqual([]);

      hold = false;
      for (const m of held.splice(0)) toServer!(m);
      await page.waitForSelector('#receipt-sha256', { timeout: 20_000 });
      expect(await submissions()).toEqual([{ plain_text: 'Det første er gemt. Det sidste er på vej.' }]);
    } catch (err) {
      await screenshot(page, 'resilience-handin-wait-failure');
      throw err;
    } finally {
      await page.context().close();
    }
  });
  it('a session that ends mid-exam: the sign-in page says why, and after signing in again the text typed meanwhile is there and saved', async () => {
    const page = await demo.page();
    let hold = false;
    const sockets: { close(): void }[] = [];
    await page.routeWebSocket(/\/ws\/answer/, (ws) => {
      const server = ws.connectToServer();
      sockets.push({ close: () => ws.close({ code: 1001, reason: 'proxy restart' }) });
      ws.onMessage((m) => { if (!hold) server.send(m); });
    });
    try {
      await signIn(page, demo.server.url, 'elev10', 'elev-demo');
      await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 40_000 });
      await page.click('.answer-editor');
      await page.keyboard.type('Inden udlogningen.');
      await waitSaved(page);
      hold = true; // these keystrokes never reach the server on this connection
      await page.keyboard.type(' Efter udlogningen.');
      await demo.database.db.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE username = 'elev10')`);
      hold = false;
      sockets.at(-1)!.close(); // the reconnect meets the ended session: 4401

      await page.waitForSelector('.login >> text=Du er blevet logget ud', { timeout: 20_000 });
      await page.fill('#username', 'elev10');
      await page.fill('#password', 'elev-demo');
      await page.click('form[aria-labelledby="pw-title"] button[type="submit"]');
      await page.waitForFunction(() => document.querySelector('.answer-editor')?.textContent?.includes('Inden udlogningen. Efter udlogningen.'), null, { timeout: 20_000 });
      await waitSaved(page);
      expect(await storedAnswerText(demo.database.db, await registrationOf('elev10'))).toBe('Inden udlogningen. Efter udlogningen.');
    } catch (err) {
      await screenshot(page, 'resilience-signed-out-failure');
      throw err;
    } finally {
      await page.context().close();
    }
  });
});
