import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from './support/browser.ts';
import { scenario } from './support/answerSocket.ts';
import { startDemo, type Demo } from './support/demo.ts';

// docs/accessibility.md, "The pupil": the last five minutes, extra time and a pause are shown on the page and
// said politely through #announcer, without a reload.
let demo: Demo;
let pupil: Page;
let invigilator: Page;
let registrationId: number;

beforeAll(async () => {
  demo = await startDemo({ startsInSeconds: 0 });
  const { rows } = await demo.database.db.query(
    `SELECT r.id FROM registrations r JOIN candidates c ON c.id = r.candidate_id JOIN users u ON u.id = c.user_id WHERE u.username = 'elev04'`,
  );
  registrationId = Number(rows[0].id);
  pupil = await demo.page();
  invigilator = await demo.page();
  await signIn(invigilator, demo.server.url, 'tilsyn1', 'tilsyn-demo');
  await invigilator.waitForSelector('text=Lokale 1');
});
afterAll(async () => {
  await demo?.stop();
});

/** An invigilator action, as the live room sends it (same origin, the invigilator's session). */
async function act(action: string, body: Record<string, unknown>): Promise<void> {
  const status = await invigilator.evaluate(
    async ([path, json]) => (await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) })).status,
    [`/api/invigilation/registrations/${registrationId}/${action}`, { reason: 'Test af besked til eleven', ...body }] as const,
  );
  expect(status).toBe(200);
}

const notice = () => pupil.textContent('#time-notice .time-notice-text');
const announced = () => pupil.textContent('#announcer');

describe('time notices for the pupil (Chromium)', () => {
  it('says "5 minutter tilbage", then extra time, then a pause and its end, each visibly and through #announcer', async () => {
    await scenario(
      'time-notices',
      () => [pupil, invigilator],
      async () => {
        // The sitting has been running until 5 minutes and 20 seconds before its end.
        await demo.database.db.query(`UPDATE sittings SET starts_at = now() - make_interval(mins => duration_minutes) + interval '5 minutes 20 seconds'`);
        await signIn(pupil, demo.server.url, 'elev04', 'elev-demo');
        await pupil.waitForSelector('.answer-editor[contenteditable="true"]', { timeout: 30_000 });
        expect(await pupil.isHidden('#time-notice')).toBe(true);

        expect(await pupil.textContent('#remaining')).toMatch(/^0[5]:\d{2} tilbage$/);
        await pupil.waitForSelector('#time-notice:not([hidden])', { timeout: 30_000 });
        expect(await notice()).toMatch(/^5 minutter tilbage\. Din besvarelse afleveres automatisk kl\. \d{2}[.:]\d{2}/);
        expect(await announced()).toBe(await notice());

        await act('extra-time', { minutes: 10 });
        await pupil.waitForFunction(() => document.querySelector('#time-notice')?.textContent?.includes('ekstra tid'), null, { timeout: 10_000 });
        expect(await notice()).toMatch(/^Du har fået 10 minutter ekstra tid\. Din sluttid er nu kl\. \d{2}[.:]\d{2}\.$/);
        expect(await announced()).toBe(await notice());
        expect(await pupil.isVisible('#time-notice')).toBe(true);

        await act('pause', {});
        await pupil.waitForSelector('#exam-banner:not([hidden]) >> text=sat på pause', { timeout: 10_000 });
        expect(await announced()).toBe(await pupil.textContent('#exam-banner'));
        expect(await pupil.getAttribute('#exam-banner', 'role')).toBeNull(); // one polite region, not an alert

        await act('resume', {});
        await pupil.waitForFunction(() => document.querySelector('#time-notice')?.textContent?.includes('Pausen er slut'), null, { timeout: 10_000 });
        expect(await notice()).toMatch(/^Pausen er slut\. Du kan skrive videre\. Din sluttid er nu kl\. \d{2}[.:]\d{2}\.$/);
        expect(await announced()).toBe(await notice());
        expect(await pupil.isHidden('#exam-banner')).toBe(true);

        await pupil.click('#time-notice button');
        expect(await pupil.isHidden('#time-notice')).toBe(true);
      },
    );
  });
});
