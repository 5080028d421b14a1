import { announce, h } from '../../shell/dom.ts';
import { formatTime, tr } from '../../shell/i18n.ts';
import type { SaveState } from '../saveLedger.ts';

/** Unsaved edits older than this turn into a visible warning (a pupil must not write on, unaware, for long). */
const UNSAVED_WARNING_MS = 10_000;
const NOT_SAVED_DA = 'Ikke gemt på serveren – dit arbejde gemmes i browseren og sendes, når forbindelsen er tilbage.';
const NOT_SAVED_EN = 'Not saved on the server – your work is kept in the browser and sent when the connection is back.';

const LINE: Record<SaveState['kind'], { css: string; text: (s: SaveState) => string }> = {
  saved: {
    css: 'save-state ok',
    text: (s) => (s.kind === 'saved' && s.at ? tr(`Gemt ${formatTime(s.at)}`, `Saved ${formatTime(s.at)}`) : tr('Gemt', 'Saved')),
  },
  connecting: { css: 'save-state', text: () => tr('Forbinder…', 'Connecting…') },
  saving: { css: 'save-state', text: () => tr('Gemmer…', 'Saving…') },
  offline: { css: 'save-state warn', text: () => tr('⚠ Ingen forbindelse', '⚠ No connection') },
  stopped: { css: 'save-state warn', text: () => tr('Skrivning stoppet', 'Writing stopped') },
};

const warns = (s: SaveState): boolean => s.kind === 'offline' || (s.kind === 'saving' && Date.now() - s.since > UNSAVED_WARNING_MS);

/**
 * The honest save indicator (docs/rules.md §4.4): "Gemt HH:MM:SS" only from the server's acknowledgement, and
 * a warning once edits have waited too long or the connection is gone.
 */
export function createSaveStatus() {
  // Not a live region: it changes with every keystroke. Screen readers hear the warning (role=alert) and its end.
  const indicator = h('p', { class: 'save-state', id: 'save-state', 'aria-live': 'off' });
  const warning = h('p', { class: 'save-warning', id: 'save-warning', role: 'alert', hidden: true });

  const render = (s: SaveState): void => {
    indicator.className = LINE[s.kind].css;
    indicator.textContent = LINE[s.kind].text(s);
    const warn = warns(s);
    const lastAck = (s.kind === 'saving' || s.kind === 'offline') && s.lastAck ? s.lastAck : 0;
    const text = !warn
      ? ''
      : tr(
          `⚠ ${NOT_SAVED_DA} Du kan roligt skrive videre.${lastAck ? ` Senest gemt på serveren kl. ${formatTime(lastAck)}.` : ''}`,
          `⚠ ${NOT_SAVED_EN} You can safely keep writing.${lastAck ? ` Last saved on the server at ${formatTime(lastAck)}.` : ''}`,
        );
    // Only rewritten on a change, so a screen reader hears the alert once, not every second.
    if (text !== warning.textContent) {
      if (!warn && !warning.hidden && s.kind === 'saved') announce(tr('Forbindelsen er tilbage. Alt er gemt.', 'The connection is back. Everything is saved.'));
      warning.hidden = !warn;
      warning.textContent = text;
    }
  };
  return { indicator, warning, render };
}
