import type { Page } from 'playwright-core';

/** The finished file as the pupil's page lists it (from the answer document) with "Gemt": its SHA-256. */
export const shownHash = (page: Page, name: string): Promise<string> =>
  page
    .waitForFunction(
      (n) => {
        const li = [...document.querySelectorAll('#attachment-done li')].find((x) => x.textContent?.includes(n));
        return li?.textContent?.includes('Gemt') ? li.querySelector('[data-sha256]')?.getAttribute('data-sha256') : null;
      },
      name,
      { timeout: 30_000 },
    )
    .then((h) => h.jsonValue() as Promise<string>);
