import { announce } from './dom.ts';

/**
 * A screen-reader user cannot see that the page changed under them. Every view change therefore does the
 * same three things (docs/accessibility.md): the new view gets its own document title, focus moves to its
 * heading, and one sentence is said through the page's single polite live region (#announcer).
 */
export function enterView(heading: HTMLElement, title: string, message?: string): void {
  document.title = `${title} – Prøvesal`;
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  // The heading may have just been inserted; focusing it in the same task can be lost to the re-render.
  queueMicrotask(() => heading.focus({ preventScroll: false }));
  if (message) announce(message);
}

/**
 * Opens a native modal dialog named by its heading, and gives focus back to whatever opened it when it
 * closes, so a keyboard user never lands on <body>.
 */
export function openDialog(dialog: HTMLDialogElement, heading: HTMLElement, opener: Element | null = document.activeElement): void {
  if (!heading.id) heading.id = `dialog-title-${Math.random().toString(36).slice(2, 8)}`;
  dialog.setAttribute('aria-labelledby', heading.id);
  dialog.addEventListener(
    'close',
    () => {
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    },
    { once: true },
  );
  if (!dialog.isConnected) document.body.append(dialog);
  dialog.showModal();
}
