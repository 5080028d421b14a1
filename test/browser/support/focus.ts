import type { Page } from 'playwright-core';

/** What a screen-reader user meets at a view change: where focus is, the document title, the live region's text. */
export interface Transition {
  /** The focused element as `tag#id` (or `tag.class`), e.g. `h1#exam-title`. */
  active: string;
  activeText: string;
  title: string;
  announced: string;
}

export function transitionState(page: Page): Promise<Transition> {
  return page.evaluate(() => {
    const a = document.activeElement;
    const name = !a ? 'none' : `${a.tagName.toLowerCase()}${a.id ? `#${a.id}` : a.classList.length ? `.${[...a.classList].join('.')}` : ''}`;
    return {
      active: name,
      activeText: a?.textContent?.trim() ?? '',
      title: document.title,
      announced: document.getElementById('announcer')?.textContent ?? '',
    };
  });
}

/** Waits until focus sits on the element matching `selector` (a transition moved it there). */
export async function waitForFocus(page: Page, selector: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction((s) => document.activeElement?.matches(s) ?? false, selector, { timeout });
}

/** Presses Tab until `selector` has focus; returns how many presses it took (0 if it had it already; throws after `max`). */
export async function tabsTo(page: Page, selector: string, max = 60): Promise<number> {
  for (let n = 0; ; n++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return n;
    if (n === max) throw new Error(`${selector} not reached in ${max} presses of Tab`);
    await page.keyboard.press('Tab');
  }
}
