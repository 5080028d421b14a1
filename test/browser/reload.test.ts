import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, signIn } from './support/browser.ts';
import { startDemo, type Demo } from './support/demo.ts';

// docs/rules.md §4.1: a reload during the exam returns straight to it, also for a pupil with two sittings that day.
let demo: Demo;
beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 4 });
  // elev07 also sits a second exam this afternoon, in the same room.
  await demo.database.db.query(
    `WITH s AS (INSERT INTO sittings (subject, level, starts_at, duration_minutes) VALUES ('Engelsk – skriftlig', 9, now() + interval '3 hours', 120) RETURNING id),
          ss AS (INSERT INTO sitting_schools (sitting_id, school_id) SELECT s.id, c.school_id FROM s, candidates c JOIN users u ON u.id = c.user_id WHERE u.username = 'elev07')
     INSERT INTO registrations (sitting_id, candidate_id, room_id, exam_number)
     SELECT s.id, r.candidate_id, r.room_id, 'E2-0007' FROM s, registrations r JOIN candidates c ON c.id = r.candidate_id JOIN users u ON u.id = c.user_id
      WHERE u.username = 'elev07'`,
  );
});
afterAll(async () => {
  await demo?.stop();
});

describe('a reload during the exam (Chromium)', () => {
  it("returns straight to the running exam, not to the list of the day's sittings", async () => {
    const page = await demo.page();
    try {
      await signIn(page, demo.server.url, 'elev07', 'elev-demo');
      // Before the start the two sittings are listed and the pupil opens one; once one runs, the page goes there.
      await page.waitForSelector('.sitting-list, .answer-editor, #countdown', { timeout: 20_000 });
      if (await page.$('li:has-text("Dansk") >> button')) await page.click('li:has-text("Dansk") >> button');
      await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 40_000 });
      await page.reload();
      await page.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 20_000 });
      expect(await page.$('text=Dine prøver')).toBeNull();
    } catch (err) {
      await screenshot(page, 'reload-two-sittings-failure');
      throw err;
    }
  });
});
