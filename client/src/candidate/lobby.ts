import { api } from '../shell/api.ts';
import { serverNow } from '../shell/clock.ts';
import { announce, h } from '../shell/dom.ts';
import { formatTime, tr } from '../shell/i18n.ts';
import { enterView } from '../shell/transition.ts';
import { holdLobbyPresence } from './lobbyPresence.ts';
import type { ExamView } from './types.ts';

const two = (n: number) => String(n).padStart(2, '0');
/** How often the lobby re-reads the registration (a moved start time, extra time); jittered per pupil. */
const REFRESH_MS = 60_000;

/** What the pupil may use, in words (from the sitting's aids policy and their accommodations). */
function aidsLine(e: ExamView): string {
  const parts = [
    e.aids.spellCheck ? tr('stavekontrol', 'spell check') : null,
    e.aids.textToSpeech || e.accommodations.textToSpeech ? tr('oplæsning', 'text-to-speech') : null,
    e.aids.calculator ? tr('lommeregner', 'calculator') : null,
    e.aids.internet ? tr('internet', 'the internet') : null,
  ].filter(Boolean);
  const allowed = parts.length ? parts.join(', ') : tr('ingen', 'none');
  return tr(
    `Tilladte hjælpemidler: ${allowed}.${e.aids.internet ? '' : ' Du må ikke bruge internettet.'}`,
    `Permitted aids: ${allowed}.${e.aids.internet ? '' : ' You may not use the internet.'}`,
  );
}

/**
 * Countdown by the server clock (docs/rules.md §4.1); calls onStart at startsAt without a reload. The call comes a
 * random 0.3–1.5 s after the start, so a nation of lobbies does not ask for the paper in the same millisecond
 * (and a clock estimate a hair early is not refused as "sealed").
 */
export function renderLobby(root: HTMLElement, initial: ExamView, onStart: () => void): () => void {
  let exam = initial;
  const countdown = h('p', { class: 'countdown', id: 'countdown', role: 'timer', 'aria-live': 'off' });
  const startLine = h('p', { id: 'starts-at' });
  const heading = h('h2', {}, tr('Venteværelse', 'Waiting room'));
  const title = h('h1', { id: 'lobby-heading' }, exam.subject);
  let lastMinute = -1;
  let starting: number | null = null;

  const describe = () => {
    const starts = new Date(exam.startsAt).getTime();
    startLine.textContent = tr(
      `Prøven starter kl. ${formatTime(starts, false)} og slutter kl. ${formatTime(exam.endsAt, false)}.`,
      `The exam starts at ${formatTime(starts, false)} and ends at ${formatTime(exam.endsAt, false)}.`,
    );
  };
  const tick = () => {
    const now = serverNow();
    const opens = new Date(exam.lobbyOpensAt).getTime();
    const starts = new Date(exam.startsAt).getTime();
    if (now >= starts) {
      countdown.textContent = tr('Prøven starter nu …', 'The exam is starting …');
      if (starting === null) announce(tr('Prøven starter nu.', 'The exam is starting.'));
      starting ??= window.setTimeout(onStart, 300 + Math.random() * 1_200);
      return;
    }
    if (now < opens) {
      heading.textContent = tr('Du er tidligt på den', 'You are early');
      countdown.textContent = tr(`Prøven åbner kl. ${formatTime(opens, false)}`, `The exam opens at ${formatTime(opens, false)}`);
      countdown.classList.add('not-open');
      return;
    }
    heading.textContent = tr('Venteværelse', 'Waiting room');
    countdown.classList.remove('not-open');
    const s = Math.ceil((starts - now) / 1000);
    countdown.textContent = `${Math.floor(s / 3600) ? `${Math.floor(s / 3600)}:` : ''}${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
    countdown.setAttribute('aria-label', tr(`Tid til start: ${countdown.textContent}`, `Time to start: ${countdown.textContent}`));
    const minutes = Math.ceil(s / 60);
    if (minutes !== lastMinute) {
      lastMinute = minutes;
      // Through the page's one polite live region (docs/accessibility.md), once a minute.
      announce(tr(`${minutes} minut${minutes === 1 ? '' : 'ter'} til start`, `${minutes} minute${minutes === 1 ? '' : 's'} to the start`));
    }
  };
  const timer = window.setInterval(tick, 250);
  const leavePresence = holdLobbyPresence(exam.registrationId);
  let refreshTimer = 0;
  const refresh = async () => {
    // Not reachable now (offline, busy): the countdown runs on, and the next refresh asks again.
    const next = await api<ExamView>(`/api/exam/registrations/${exam.registrationId}`).catch((err: unknown) => {
      console.warn('lobby refresh failed', err);
      return null;
    });
    if (next && next.phase !== 'before_lobby' && next.phase !== 'lobby' && next.phase !== 'writing') {
      onStart();
      return;
    }
    if (next) {
      exam = next;
      describe();
      tick();
    }
    refreshTimer = window.setTimeout(() => void refresh(), REFRESH_MS * (0.75 + Math.random() / 2));
  };
  refreshTimer = window.setTimeout(() => void refresh(), REFRESH_MS * (0.75 + Math.random() / 2));

  root.replaceChildren(
    h(
      'main',
      { id: 'main', class: 'lobby' },
      title,
      h('p', { class: 'muted' }, tr(`Prøvenummer ${exam.examNumber}`, `Exam number ${exam.examNumber}`)),
      h(
        'section',
        { class: 'card lobby-card', 'aria-labelledby': 'lobby-title' },
        Object.assign(heading, { id: 'lobby-title' }),
        countdown,
        startLine,
        h(
          'p',
          {},
          tr(
            'Opgavesættet og din besvarelse åbner automatisk, når prøven starter. Du behøver ikke genindlæse siden.',
            'The question paper and your answer open by themselves when the exam starts. You do not need to reload.',
          ),
        ),
        h(
          'ul',
          { class: 'lobby-tips' },
          h('li', {}, tr('Din tid begynder først at tælle, når prøven starter.', 'Your time only starts counting when the exam starts.')),
          h(
            'li',
            {},
            tr('Alt, hvad du skriver, gemmes løbende. Du kan se “Gemt” øverst.', 'Everything you write is saved as you go. You can see “Saved” at the top.'),
          ),
          h('li', {}, aidsLine(exam)),
          h('li', {}, tr('Har du problemer, så ræk hånden op.', 'If you have a problem, raise your hand.')),
        ),
      ),
    ),
  );
  enterView(title, tr(`Venteværelse: ${exam.subject}`, `Waiting room: ${exam.subject}`));
  describe();
  tick();
  return () => {
    leavePresence();
    clearInterval(timer);
    clearTimeout(refreshTimer);
    if (starting) clearTimeout(starting);
  };
}
