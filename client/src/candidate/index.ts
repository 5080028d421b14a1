import type { Receipt } from '../../../src/protocol/control.ts';
import { api, ApiError } from '../shell/api.ts';
import { syncServerClock } from '../shell/clock.ts';
import type { RenderView } from '../shell/context.ts';
import { h } from '../shell/dom.ts';
import { formatDateTime, formatTime, tr } from '../shell/i18n.ts';
import { enterView } from '../shell/transition.ts';
import { reconnectDelay } from '../shell/backoff.ts';
import './candidate.css';
import './examLayout.css';
import './receipt.css';
import { renderExamPage } from './examPage.ts';
import { renderReceipt } from './receipt.ts';
import { forgetQueued } from './attachments/queueStore.ts';
import { renderLobby } from './lobby.ts';
import { keepExam, keptExam } from './offlineExam.ts';
import { resumable } from './resume.ts';
import type { ExamView } from './types.ts';

const PHASE: Record<ExamView['phase'], [string, string]> = {
  before_lobby: ['Ikke åben endnu', 'Not open yet'],
  lobby: ['Venteværelset er åbent', 'Waiting room open'],
  writing: ['I gang', 'In progress'],
  ended: ['Slut', 'Ended'],
  handed_in: ['Afleveret', 'Handed in'],
  absent: ['Meldt fraværende', 'Marked absent'],
  cancelled: ['Aflyst', 'Cancelled'],
};

/** The sitting this tab had open, kept across a reload (sessionStorage is per tab). */
const OPENED_KEY = 'provesal.opened';

/** The pupil's area: today's sittings → lobby → exam → receipt. */
export const renderCandidate: RenderView = async (root, ctx) => {
  let cleanup: (() => void) | null = null;
  const swap = (next: (() => void) | null) => {
    cleanup?.();
    cleanup = next;
  };
  await syncServerClock();
  const clockTimer = window.setInterval(() => void syncServerClock(), 5 * 60_000);

  const applyAccommodations = (e: ExamView) => {
    if (e.accommodations.largeText) {
      if (document.documentElement.dataset.textSize === 'normal') document.documentElement.dataset.textSize = 'large';
      const select = document.getElementById('text-size') as HTMLSelectElement | null;
      if (select) select.value = document.documentElement.dataset.textSize ?? 'large'; // the header shows what is in force
    }
    if (e.accommodations.highContrast) {
      document.documentElement.dataset.contrast = 'high';
      document.querySelector('.topbar .tools button[aria-pressed]')?.setAttribute('aria-pressed', 'true');
    }
  };

  /**
   * Runs a step of the flow; if the server cannot answer (offline, overloaded at the start), says so calmly and
   * tries again by itself with a jittered backoff — a start-time storm must not leave a blank page.
   */
  let retryTimer = 0;
  const guarded = (step: () => Promise<void>, attempt = 0): void => {
    clearTimeout(retryTimer);
    step().catch((err) => {
      if (err instanceof ApiError && err.status === 401) return; // the shell shows the sign-in page
      const transient = !(err instanceof ApiError) || err.status === 0 || err.status === 429 || err.status >= 500;
      swap(null);
      root.replaceChildren(
        h(
          'main',
          { id: 'main' },
          h(
            'section',
            { class: 'card', role: 'alert' },
            h('h1', {}, transient ? tr('Vent et øjeblik', 'Please wait a moment') : tr('Der er et problem', 'There is a problem')),
            h('p', {}, err instanceof ApiError ? err.detail : String(err)),
            h(
              'p',
              {},
              transient
                ? tr('Siden prøver igen af sig selv. Det, du har skrevet, er ikke tabt.', 'The page tries again by itself. What you wrote is not lost.')
                : tr('Ræk hånden op og tilkald den tilsynsførende, hvis det bliver ved.', 'Raise your hand and call the invigilator if it goes on.'),
            ),
            h('button', { type: 'button', class: 'primary', onclick: () => guarded(step) }, tr('Prøv igen nu', 'Try again now')),
          ),
        ),
      );
      if (transient) retryTimer = window.setTimeout(() => guarded(step, attempt + 1), reconnectDelay(attempt + 2));
    });
  };

  const open = async (registrationId: number, fromLobby = false) => {
    sessionStorage.setItem(OPENED_KEY, String(registrationId));
    let offline = false;
    const exam = await api<ExamView>(`/api/exam/registrations/${registrationId}`).then(
      (e) => {
        keepExam(ctx.user.id, e);
        return e;
      },
      (err: unknown) => {
        // No connection: a running exam opens from the browser's copy, calmly (docs/accessibility.md, "The pupil").
        const kept = err instanceof ApiError && err.status === 0 ? keptExam(ctx.user.id, registrationId) : null;
        if (!kept) throw err;
        offline = true;
        return kept;
      },
    );
    applyAccommodations(exam);
    const receipt = (r: Receipt) => {
      swap(null);
      swap(renderReceipt(root, exam.subject, r));
      forgetQueued(registrationId).catch(() => undefined); // no IndexedDB: nothing was kept
    };
    if (exam.receipt) return receipt(exam.receipt);
    if (exam.phase === 'before_lobby' || exam.phase === 'lobby') {
      return swap(renderLobby(root, exam, () => guarded(() => open(registrationId, true))));
    }
    if (exam.phase === 'writing' || exam.phase === 'ended') {
      // A close as too early (AnswerClose.tooEarly) sends the pupil back to the lobby; a pause first, so clocks a hair apart cannot loop.
      const tooEarly = () => {
        swap(null);
        root.replaceChildren(
          h(
            'main',
            { id: 'main' },
            h(
              'p',
              { class: 'card', role: 'status' },
              tr('Prøven er ikke startet endnu – tilbage til venteværelset …', 'The exam has not started yet – back to the waiting room …'),
            ),
          ),
        );
        retryTimer = window.setTimeout(() => guarded(() => open(registrationId)), 1_000 + Math.random() * 1_000);
      };
      return swap(renderExamPage(root, exam, { onReceipt: receipt, onTooEarly: tooEarly, justStarted: fromLobby, offline }));
    }
    await list();
  };

  const list = async () => {
    swap(null);
    const kept = keptExam(ctx.user.id);
    const sittings = await api<{ sittings: ExamView[] }>('/api/exam/sittings').then(
      (r) => r.sittings,
      (err: unknown) => {
        if (kept && err instanceof ApiError && err.status === 0) return [kept];
        throw err;
      },
    );
    const next = resumable(sittings, Number(sessionStorage.getItem(OPENED_KEY)));
    if (next) return open(next.registrationId);
    const heading = h('h1', {}, tr(`Hej ${ctx.user.displayName}`, `Hello ${ctx.user.displayName}`));
    root.replaceChildren(
      h(
        'main',
        { id: 'main' },
        heading,
        h('h2', {}, tr('Dine prøver', 'Your exams')),
        sittings.length === 0
          ? h('p', {}, tr('Du har ingen prøver i dag.', 'You have no exams today.'))
          : h(
              'ul',
              { class: 'sitting-list' },
              ...sittings.map((s) =>
                h(
                  'li',
                  { class: 'card' },
                  h('h3', {}, s.subject),
                  h('p', {}, `${formatDateTime(s.startsAt)} · ${tr(...PHASE[s.phase])}`),
                  s.phase === 'before_lobby'
                    ? h('p', {}, tr(`Prøven åbner kl. ${formatTime(s.lobbyOpensAt, false)}`, `The exam opens at ${formatTime(s.lobbyOpensAt, false)}`))
                    : null,
                  h(
                    'button',
                    { type: 'button', class: 'primary', onclick: () => guarded(() => open(s.registrationId)) },
                    s.phase === 'handed_in' ? tr('Se kvittering', 'See receipt') : tr('Åbn', 'Open'),
                  ),
                ),
              ),
            ),
      ),
    );
    enterView(heading, tr('Dine prøver', 'Your exams'));
  };

  guarded(list);
  return () => {
    clearInterval(clockTimer);
    clearTimeout(retryTimer);
    swap(null);
  };
};
