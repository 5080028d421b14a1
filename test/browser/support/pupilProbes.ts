import type { Page } from 'playwright-core';
import { storedAnswerText } from '../../support/storedAnswer.ts';
import { signIn } from './browser.ts';
import type { Demo } from './demo.ts';

/** What the answer-resilience tests read about a demo pupil and their page. */
export function pupilProbes(demo: () => Demo) {
  const registrationOf = async (username: string): Promise<number> =>
    Number(
      (
        await demo().database.db.query(
          `SELECT r.id FROM registrations r JOIN candidates c ON c.id = r.candidate_id JOIN users u ON u.id = c.user_id WHERE u.username = $1`,
          [username],
        )
      ).rows[0].id,
    );
  const stored = async (username: string) => storedAnswerText(demo().database.db, await registrationOf(username));
  const submissions = async (username: string) =>
    (
      await demo().database.db.query(
        `SELECT s.plain_text FROM submissions s JOIN registrations r ON r.id = s.registration_id JOIN candidates c ON c.id = r.candidate_id
     JOIN users u ON u.id = c.user_id WHERE u.username = $1`,
        [username],
      )
    ).rows;
  const saveState = (page: Page) => page.textContent('#save-state').then((t) => t ?? '');
  const waitSaved = (page: Page, timeout = 20_000) =>
    page.waitForFunction(() => /Gemt \d{2}:\d{2}:\d{2}/.test(document.querySelector('#save-state')?.textContent ?? ''), null, { timeout });
  const waitWarning = (page: Page, timeout = 20_000) =>
    page.waitForFunction(
      () => {
        const w = document.querySelector<HTMLElement>('#save-warning');
        return !!w && !w.hidden && /Ikke gemt på serveren/.test(w.textContent ?? '');
      },
      null,
      { timeout },
    );
  const waitText = (page: Page, text: string, timeout = 20_000) =>
    page.waitForFunction((t) => document.querySelector('.answer-editor')?.textContent?.includes(t), text, { timeout });

  /** Signs a demo pupil in and waits until the answer can be written. */
  async function openExam(page: Page, username: string): Promise<Page> {
    await signIn(page, demo().server.url, username, 'elev-demo');
    await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 40_000 });
    return page;
  }
  return { registrationOf, stored, submissions, saveState, waitSaved, waitWarning, waitText, openExam };
}
