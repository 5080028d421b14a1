import { announce, h } from '../../shell/dom.ts';
import { formatTime, tr } from '../../shell/i18n.ts';
import type { ExamState } from './state.ts';
import { timeNotice, type Clock } from './timeNoticeRule.ts';

/** The visible line for the last time notice, said once through #announcer; the pupil may hide it. */
export function createTimeNotice() {
  const text = h('span', { class: 'time-notice-text' });
  const hide = h('button', { type: 'button', class: 'link' }, tr('Skjul', 'Hide'));
  const element = h('p', { class: 'time-notice', id: 'time-notice', hidden: true }, text, ' ', hide);
  hide.addEventListener('click', () => {
    element.hidden = true;
  });
  let before: Clock | null = null;
  return {
    element,
    render(s: ExamState, now: number): void {
      const after = { endsAt: s.endsAt, paused: s.paused, now };
      const notice = before && timeNotice(before, after, (ms) => formatTime(ms, false));
      before = after;
      if (!notice) return;
      text.textContent = tr(...notice);
      element.hidden = false;
      announce(tr(...notice));
    },
  };
}
