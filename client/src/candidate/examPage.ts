import type { Editor } from '@tiptap/core';
import { api } from '../shell/api.ts';
import { serverNow } from '../shell/clock.ts';
import { announce, h } from '../shell/dom.ts';
import { formatTime, tr } from '../shell/i18n.ts';
import { AnswerSync, type SaveState } from './answerSync.ts';
import { createAnswerEditor, renderToolbar } from './editor.ts';
import { openHandInDialog } from './handIn.ts';
import { startLockdown } from './lockdown.ts';
import { renderPaper } from './paper.ts';
import { remainingText } from './remaining.ts';
import type { Control, ExamView, Receipt } from './types.ts';

const UNSAVED_WARNING_MS = 10_000;
export const NOT_SAVED_DA = 'Ikke gemt på serveren – dit arbejde gemmes i browseren og sendes, når forbindelsen er tilbage.';
const NOT_SAVED_EN = 'Not saved on the server – your work is kept in the browser and sent when the connection is back.';

interface Callbacks { onReceipt(r: Receipt): void; onTooEarly(): void }

const STOPPED: Record<number, [string, string]> = {
  4409: ['Du fortsætter på en anden enhed. Denne side kan ikke længere skrive – brug den anden enhed. Er det forkert, så ræk hånden op.',
    'You continue on another device. This page can no longer write – use the other device. If that is wrong, raise your hand.'],
  4410: ['Tiden er gået / afleveret. Der kan ikke skrives mere. Alt, serveren har bekræftet, er gemt.',
    'Time is up / handed in. No more writing. Everything the server confirmed is saved.'],
  4423: ['Skrivningen er stoppet: din besvarelse er låst. Ræk hånden op og tilkald den tilsynsførende. Det, du har skrevet, er ikke tabt.',
    'Writing is stopped: your answer is locked. Raise your hand and call the invigilator. What you wrote is not lost.'],
  4401: ['Du er blevet logget ud. Log ind igen – din tekst er gemt i browseren.', 'You have been signed out. Sign in again – your text is kept in the browser.'],
  4403: ['Denne besvarelse tilhører ikke dig. Log ud og ind igen.', 'This answer is not yours. Sign out and in again.'],
  4404: ['Tilmeldingen findes ikke længere. Tilkald den tilsynsførende.', 'The registration no longer exists. Call the invigilator.'],
  4413: ['Besvarelsen er blevet for stor. Tilkald den tilsynsførende.', 'The answer has become too large. Call the invigilator.'],
};

/** The exam: question paper beside the answer editor, remaining time and an honest save indicator. */
export function renderExamPage(root: HTMLElement, exam: ExamView, cb: Callbacks): () => void {
  let endsAt = new Date(exam.endsAt).getTime();
  let paused = exam.paused;
  let stopped: string | null = null;
  let editor: Editor | null = null;
  let lockdownBlocked = false;
  let timeUp = false;
  let pollTimer: number | null = null;
  let gone = false;

  // Not a live region: it changes with every keystroke. Screen readers hear the warning (role=alert) and its end.
  const saveIndicator = h('p', { class: 'save-state', id: 'save-state', 'aria-live': 'off' });
  const saveWarning = h('p', { class: 'save-warning', id: 'save-warning', role: 'alert', hidden: true });
  const remaining = h('p', { class: 'remaining', id: 'remaining', role: 'timer', 'aria-live': 'off' });
  const endLine = h('p', { class: 'ends-at', id: 'ends-at' });
  const words = h('p', { class: 'word-count', id: 'word-count', 'aria-live': 'off' });
  const banner = h('p', { class: 'banner', id: 'exam-banner', role: 'alert', hidden: true });
  const handInButton = h('button', { type: 'button', class: 'primary', id: 'hand-in' }, tr('Aflever…', 'Hand in…'));
  const editorMount = h('div', { class: 'editor-mount' });

  const sync = new AnswerSync(exam.registrationId, (c) => onControl(c), (code) => onStopped(code));

  const showBanner = (text: string | null) => { banner.hidden = !text; banner.textContent = text ?? ''; };
  const setEditable = () => {
    const canWrite = !paused && stopped === null && !lockdownBlocked && !timeUp;
    editor?.setEditable(canWrite);
    handInButton.disabled = stopped !== null || timeUp;
  };
  const showEnd = () => { endLine.textContent = tr(`Slutter kl. ${formatTime(endsAt, false)}`, `Ends at ${formatTime(endsAt, false)}`); };

  function onControl(c: Control) {
    if (c.type === 'window') {
      const changed = new Date(c.endsAt).getTime() !== endsAt;
      endsAt = new Date(c.endsAt).getTime();
      paused = c.paused;
      showEnd();
      tick();
      if (changed) announce(tr(`Ny sluttid: kl. ${formatTime(endsAt, false)}`, `New end time: ${formatTime(endsAt, false)}`));
      if (stopped === null && !timeUp) showBanner(paused ? tr('Prøven er sat på pause af den tilsynsførende. Du kan ikke skrive lige nu – din tid står stille.',
        'The invigilator has paused your exam. You cannot write right now – your time is not running.') : null);
      setEditable();
    } else if (c.type === 'handed_in' && c.receipt) {
      cb.onReceipt(c.receipt);
    } else if (c.type === 'replaced') {
      onStopped(4409);
    } else if (c.type === 'notice') {
      showBanner(tr(c.da, c.en));
    }
  }

  /** Polls until `check` says writing may go on (unlock) or a receipt exists; jittered so a room does not poll in step. */
  const pollUntil = (check: () => Promise<boolean>, everyMs: number) => {
    if (pollTimer) clearTimeout(pollTimer);
    const step = async () => {
      if (gone) return;
      if (await check().catch(() => false)) return;
      pollTimer = window.setTimeout(step, everyMs * (0.75 + Math.random() / 2));
    };
    pollTimer = window.setTimeout(step, everyMs * (0.75 + Math.random() / 2));
  };

  function onStopped(code: number) {
    if (code === 4425) return cb.onTooEarly();
    stopped = tr(...(STOPPED[code] ?? ['Serveren har stoppet skrivningen. Tilkald den tilsynsførende.', 'The server stopped writing. Call the invigilator.']));
    showBanner(stopped);
    setEditable();
    const receipt = () => api<Receipt>(`/api/exam/registrations/${exam.registrationId}/receipt`).then((r) => { cb.onReceipt(r); return true; });
    if (code === 4410) {
      // The automatic hand-in at the end may take a moment: keep asking for the receipt.
      void receipt().catch(() => pollUntil(receipt, 3_000));
    }
    if (code === 4423) {
      // Only the invigilator can unlock; then writing continues here without a reload.
      pollUntil(async () => {
        const v = await api<ExamView>(`/api/exam/registrations/${exam.registrationId}`);
        if (v.receipt) { cb.onReceipt(v.receipt); return true; }
        if (v.locked || v.phase !== 'writing') return false;
        stopped = null;
        showBanner(null);
        setEditable();
        sync.resume();
        return true;
      }, 10_000);
    }
    if (code === 4401) {
      sessionStorage.setItem('provesal.notice', JSON.stringify(STOPPED[4401]));
      window.dispatchEvent(new CustomEvent('provesal:signed-out'));
    }
  }

  const renderSave = (s: SaveState) => {
    let warn = false;
    if (s.kind === 'saved') {
      saveIndicator.className = 'save-state ok';
      saveIndicator.textContent = s.at ? tr(`Gemt ${formatTime(s.at)}`, `Saved ${formatTime(s.at)}`) : tr('Gemt', 'Saved');
    } else if (s.kind === 'connecting') {
      saveIndicator.className = 'save-state';
      saveIndicator.textContent = tr('Forbinder…', 'Connecting…');
    } else if (s.kind === 'saving') {
      saveIndicator.className = 'save-state';
      saveIndicator.textContent = tr('Gemmer…', 'Saving…');
      warn = Date.now() - s.since > UNSAVED_WARNING_MS;
    } else if (s.kind === 'offline') {
      saveIndicator.className = 'save-state warn';
      saveIndicator.textContent = tr('⚠ Ingen forbindelse', '⚠ No connection');
      warn = true;
    } else {
      saveIndicator.className = 'save-state warn';
      saveIndicator.textContent = tr('Skrivning stoppet', 'Writing stopped');
    }
    // Only rewritten on a change, so a screen reader hears the alert once, not every second.
    const lastAck = (s.kind === 'saving' || s.kind === 'offline') && s.lastAck ? s.lastAck : 0;
    const text = !warn ? '' : tr(`⚠ ${NOT_SAVED_DA} Du kan roligt skrive videre.${lastAck ? ` Senest gemt på serveren kl. ${formatTime(lastAck)}.` : ''}`,
      `⚠ ${NOT_SAVED_EN} You can safely keep writing.${lastAck ? ` Last saved on the server at ${formatTime(lastAck)}.` : ''}`);
    if (text !== saveWarning.textContent) {
      if (!warn && !saveWarning.hidden && s.kind === 'saved') announce(tr('Forbindelsen er tilbage. Alt er gemt.', 'The connection is back. Everything is saved.'));
      saveWarning.hidden = !warn;
      saveWarning.textContent = text;
    }
  };
  const unsubscribe = sync.subscribe(renderSave);

  let lastSpokenMinutes = -1;
  function tick() {
    const left = endsAt - serverNow();
    // The server decides (it refuses late changes after a short grace for what is in flight); the page stops
    // taking new text at the end by the server clock, and starts again if extra time moves the end.
    if ((left <= 0) !== timeUp && stopped === null) {
      timeUp = left <= 0;
      showBanner(timeUp ? tr('Tiden er gået. Din besvarelse afleveres automatisk – bliv på siden, til kvitteringen vises.',
        'Time is up. Your answer is handed in automatically – stay on this page until the receipt appears.') : null);
      setEditable();
    }
    const r = remainingText(left, paused);
    remaining.textContent = tr(r.da, r.en);
    remaining.classList.toggle('soon', r.soon);
    // Screen readers hear the last 15, 5 and 1 minutes once each.
    const m = Math.ceil(left / 60_000);
    if (m !== lastSpokenMinutes && [15, 5, 1].includes(m)) announce(tr(`${m} minut${m === 1 ? '' : 'ter'} tilbage`, `${m} minute${m === 1 ? '' : 's'} left`));
    lastSpokenMinutes = m;
    renderSave(sync.state()); // re-evaluates the 10-second warning
  }
  const timer = window.setInterval(tick, 1000);
  const beforeUnload = (e: BeforeUnloadEvent) => { if (sync.hasUnsaved) { e.preventDefault(); e.returnValue = ''; } };
  window.addEventListener('beforeunload', beforeUnload);

  handInButton.addEventListener('click', () => openHandInDialog(exam.registrationId, sync, cb.onReceipt));
  const paperSlot = h('div', { class: 'paper-slot' }, h('p', { class: 'paper card', role: 'status' }, tr('Henter opgavesættet…', 'Loading the question paper…')));
  root.replaceChildren(h('main', { id: 'main', class: 'exam' },
    h('div', { class: 'exam-bar' },
      h('div', {}, h('h1', {}, exam.subject), h('p', { class: 'muted' }, tr(`Prøvenummer ${exam.examNumber}`, `Exam number ${exam.examNumber}`))),
      h('div', { class: 'exam-status' }, remaining, endLine, saveIndicator, words), handInButton),
    saveWarning, banner,
    h('div', { class: 'exam-columns' }, paperSlot,
      h('section', { class: 'answer', 'aria-labelledby': 'answer-title' },
        h('h2', { id: 'answer-title', class: 'sr-only' }, tr('Din besvarelse', 'Your answer')), editorMount))));

  editor = createAnswerEditor(editorMount, sync.fragment, { spellCheck: exam.aids.spellCheck });
  editorMount.before(renderToolbar(editor));
  const countWords = () => {
    const n = (editor!.getText().match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu) ?? []).length;
    words.textContent = tr(`${n} ord`, `${n} words`);
  };
  editor.on('update', countWords);
  countWords();
  const stopLockdown = startLockdown(exam, editorMount, (blocked) => { lockdownBlocked = blocked; setEditable(); });
  showEnd();
  setEditable();
  tick();
  void sync.start().then(countWords);
  void renderPaper(exam.sittingId, exam.aids.textToSpeech || exam.accommodations.textToSpeech).then((p) => { if (!gone) paperSlot.replaceChildren(p); });

  return () => {
    gone = true;
    clearInterval(timer);
    if (pollTimer) clearTimeout(pollTimer);
    window.removeEventListener('beforeunload', beforeUnload);
    unsubscribe();
    stopLockdown();
    editor?.destroy();
    sync.destroy();
  };
}
