import { serverNow } from '../shell/clock.ts';
import { h } from '../shell/dom.ts';
import { formatTime, tr } from '../shell/i18n.ts';
import type { ExamView } from './types.ts';

const two = (n: number) => String(n).padStart(2, '0');

/** Countdown by the server clock (SPEC §4.1); calls onStart at startsAt without a reload. */
export function renderLobby(root: HTMLElement, exam: ExamView, onStart: () => void): () => void {
  const countdown = h('p', { class: 'countdown', role: 'timer', 'aria-live': 'off' });
  const spoken = h('p', { class: 'sr-only', 'aria-live': 'polite' });
  const opens = new Date(exam.lobbyOpensAt).getTime();
  const starts = new Date(exam.startsAt).getTime();
  let lastMinute = -1;
  const tick = () => {
    const now = serverNow();
    if (now >= starts) { clearInterval(timer); onStart(); return; }
    if (now < opens) {
      countdown.textContent = tr(`Prøven åbner kl. ${formatTime(opens, false)}`, `The exam opens at ${formatTime(opens, false)}`);
      return;
    }
    const s = Math.ceil((starts - now) / 1000);
    countdown.textContent = `${Math.floor(s / 3600) ? `${Math.floor(s / 3600)}:` : ''}${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
    const minutes = Math.ceil(s / 60);
    if (minutes !== lastMinute) { lastMinute = minutes; spoken.textContent = tr(`${minutes} minutter til start`, `${minutes} minutes to the start`); }
  };
  const timer = window.setInterval(tick, 250);
  root.replaceChildren(h('main', { id: 'main', class: 'lobby' },
    h('h1', {}, exam.subject),
    h('p', {}, tr(`Prøvenummer ${exam.examNumber} · starter kl. ${formatTime(starts, false)}`, `Exam number ${exam.examNumber} · starts at ${formatTime(starts, false)}`)),
    h('div', { class: 'card' },
      h('h2', {}, tr('Venteværelse', 'Waiting room')),
      h('p', {}, tr('Opgavesættet og din besvarelse åbner automatisk, når prøven starter. Du behøver ikke genindlæse siden.',
        'The question paper and your answer open by themselves when the exam starts. You do not need to reload.')),
      countdown, spoken)));
  tick();
  return () => clearInterval(timer);
}
