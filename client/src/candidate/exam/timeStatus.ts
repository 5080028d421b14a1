import { announce, h } from '../../shell/dom.ts';
import { formatTime, tr } from '../../shell/i18n.ts';
import { remainingText } from '../remaining.ts';
import type { ExamState } from './state.ts';

/** Minutes before the end that a screen reader hears once each (the fifth is a visible notice, timeNotice.ts). */
const SPOKEN_MINUTES = [15, 1];

/** Remaining time and the end time, by the server clock (docs/rules.md §4.6). */
export function createTimeStatus() {
  const remaining = h('p', { class: 'remaining', id: 'remaining', role: 'timer', 'aria-live': 'off' });
  const endLine = h('p', { class: 'ends-at', id: 'ends-at' });
  let lastSpokenMinutes = -1;

  const render = (s: ExamState, now: number): void => {
    const left = s.endsAt - now;
    const r = remainingText(left, s.paused);
    remaining.textContent = tr(r.da, r.en);
    remaining.classList.toggle('soon', r.soon);
    const m = Math.ceil(left / 60_000);
    if (m !== lastSpokenMinutes && SPOKEN_MINUTES.includes(m))
      announce(tr(`${m} minut${m === 1 ? '' : 'ter'} tilbage`, `${m} minute${m === 1 ? '' : 's'} left`));
    lastSpokenMinutes = m;
    const end = formatTime(s.endsAt, false);
    endLine.textContent = tr(`Slutter kl. ${end}`, `Ends at ${end}`);
  };
  return { remaining, endLine, render };
}
