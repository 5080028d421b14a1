import type { Editor } from '@tiptap/core';
import { api } from '../shell/api.ts';
import { serverNow } from '../shell/clock.ts';
import { announce, h } from '../shell/dom.ts';
import { formatTime, tr } from '../shell/i18n.ts';
import { AnswerSync, type SaveState } from './answerSync.ts';
import { createAnswerEditor, renderToolbar } from './editor.ts';
import { openHandInDialog } from './handIn.ts';
import { renderPaper } from './paper.ts';
import { startLockdownGuard } from '../lockdown/guard.ts';
import type { Control, ExamView, Receipt } from './types.ts';

const UNSAVED_WARNING_MS = 10_000;

interface Callbacks { onReceipt(r: Receipt): void; onTooEarly(): void }

/** The exam: question paper beside the answer editor, remaining time and an honest save indicator. */
export function renderExamPage(root: HTMLElement, exam: ExamView, cb: Callbacks): () => void {
  let endsAt = new Date(exam.endsAt).getTime();
  let paused = exam.paused;
  let stopped: string | null = null;
  let editor: Editor | null = null;
  let lockdownBlocked = false;

  const saveIndicator = h('p', { class: 'save-state', id: 'save-state', role: 'status', 'aria-live': 'polite' });
  const saveWarning = h('p', { class: 'save-warning', id: 'save-warning', role: 'alert', hidden: true });
  const remaining = h('p', { class: 'remaining', id: 'remaining', role: 'timer' });
  const endLine = h('p', { class: 'ends-at', id: 'ends-at' });
  const words = h('p', { class: 'word-count', id: 'word-count', 'aria-live': 'off' });
  const banner = h('p', { class: 'banner', id: 'exam-banner', role: 'alert', hidden: true });
  const handInButton = h('button', { type: 'button', class: 'primary', id: 'hand-in' }, tr('Aflever', 'Hand in'));
  const editorMount = h('div', { class: 'editor-mount' });

  const sync = new AnswerSync(exam.registrationId, (c) => onControl(c), (code) => onStopped(code));

  const showBanner = (text: string | null) => { banner.hidden = !text; banner.textContent = text ?? ''; };
  const setEditable = () => editor?.setEditable(!paused && stopped === null && !lockdownBlocked);
  const showEnd = () => { endLine.textContent = tr(`Slutter kl. ${formatTime(endsAt, false)}`, `Ends at ${formatTime(endsAt, false)}`); };

  function onControl(c: Control) {
    if (c.type === 'window') {
      const changed = new Date(c.endsAt).getTime() !== endsAt;
      endsAt = new Date(c.endsAt).getTime();
      paused = c.paused;
      showEnd();
      if (changed) announce(tr(`Ny sluttid: ${formatTime(endsAt, false)}`, `New end time: ${formatTime(endsAt, false)}`));
      showBanner(paused ? tr('Prøven er sat på pause af den tilsynsførende. Du kan ikke skrive lige nu.', 'The invigilator has paused your exam. You cannot write right now.') : null);
      setEditable();
    } else if (c.type === 'handed_in' && c.receipt) {
      cb.onReceipt(c.receipt);
    } else if (c.type === 'notice') {
      showBanner(tr(c.da, c.en));
    }
  }

  function onStopped(code: number) {
    const messages: Record<number, [string, string]> = {
      4409: ['Du fortsætter på en anden enhed. Denne side kan ikke længere skrive.', 'You continue on another device. This page can no longer write.'],
      4410: ['Tiden er gået, eller besvarelsen er afleveret. Der kan ikke skrives mere.', 'Time is up or the answer is handed in. No more writing.'],
      4423: ['Din besvarelse er låst. Ræk hånden op og tilkald den tilsynsførende. Alt, du har skrevet, er gemt.', 'Your answer is locked. Raise your hand and call the invigilator. Everything you wrote is saved.'],
      4401: ['Du er blevet logget ud. Log ind igen – din tekst er gemt i browseren.', 'You have been signed out. Sign in again – your text is kept in the browser.'],
    };
    if (code === 4425) return cb.onTooEarly();
    stopped = tr(...(messages[code] ?? ['Forbindelsen blev afbrudt af serveren.', 'The server closed the connection.']));
    showBanner(stopped);
    setEditable();
    if (code === 4410) {
      api<Receipt>(`/api/exam/registrations/${exam.registrationId}/receipt`).then(cb.onReceipt).catch(() => {});
    }
    if (code === 4401) window.dispatchEvent(new CustomEvent('provesal:signed-out'));
  }

  const renderSave = (s: SaveState) => {
    const now = Date.now();
    saveWarning.hidden = true;
    if (s.kind === 'saved') {
      saveIndicator.className = 'save-state ok';
      saveIndicator.textContent = s.at ? tr(`Gemt ${formatTime(s.at)}`, `Saved ${formatTime(s.at)}`) : tr('Gemt', 'Saved');
    } else if (s.kind === 'saving') {
      saveIndicator.className = 'save-state';
      saveIndicator.textContent = tr('Gemmer…', 'Saving…');
      if (now - s.since > UNSAVED_WARNING_MS) {
        saveWarning.hidden = false;
        saveWarning.textContent = tr('Ikke gemt på serveren i over 10 sekunder – din tekst gemmes i browseren og sendes, når forbindelsen er tilbage.',
          'Not saved on the server for over 10 seconds – your text is kept in the browser and sent when the connection returns.');
      }
    } else if (s.kind === 'offline') {
      saveIndicator.className = 'save-state warn';
      saveIndicator.textContent = tr('Ingen forbindelse', 'No connection');
      saveWarning.hidden = false;
      saveWarning.textContent = tr('Ikke gemt på serveren – din tekst gemmes i browseren og sendes, når forbindelsen er tilbage.',
        'Not saved on the server – your text is kept in the browser and sent when the connection returns.');
    } else {
      saveIndicator.className = 'save-state';
      saveIndicator.textContent = tr('Skrivning stoppet', 'Writing stopped');
    }
  };
  const unsubscribe = sync.subscribe(renderSave);

  const tick = () => {
    const left = endsAt - serverNow();
    if (left <= 0) { remaining.textContent = tr('Tiden er gået', 'Time is up'); return; }
    const m = Math.floor(left / 60_000);
    remaining.textContent = tr(`${Math.floor(m / 60)} t ${m % 60} min tilbage`, `${Math.floor(m / 60)} h ${m % 60} min left`);
    renderSave(sync.state()); // re-evaluates the 10-second warning
  };
  const timer = window.setInterval(tick, 1000);
  const beforeUnload = (e: BeforeUnloadEvent) => { if (sync.hasUnsaved) { e.preventDefault(); e.returnValue = ''; } };
  window.addEventListener('beforeunload', beforeUnload);

  handInButton.addEventListener('click', () => openHandInDialog(exam.registrationId, sync, cb.onReceipt));
  const paperSlot = h('div', { class: 'paper-slot' });
  root.replaceChildren(h('main', { id: 'main', class: 'exam' },
    h('div', { class: 'exam-bar' },
      h('div', {}, h('h1', {}, exam.subject), h('p', { class: 'muted' }, tr(`Prøvenummer ${exam.examNumber}`, `Exam number ${exam.examNumber}`))),
      h('div', { class: 'exam-status' }, remaining, endLine, saveIndicator, words), handInButton),
    saveWarning, banner,
    h('div', { class: 'exam-columns' }, paperSlot,
      h('section', { class: 'answer', 'aria-label': tr('Besvarelse', 'Answer') }, editorMount))));

  editor = createAnswerEditor(editorMount, sync.fragment, { spellCheck: exam.aids.spellCheck });
  editorMount.before(renderToolbar(editor));
  const countWords = () => {
    const n = (editor!.getText().match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu) ?? []).length;
    words.textContent = tr(`${n} ord`, `${n} words`);
  };
  editor.on('update', countWords);
  countWords();
  const stopGuard = startLockdownGuard({ registrationId: exam.registrationId, profile: exam.lockdownProfile, editorRoot: editorMount,
    onBlockedChange: (blocked) => { lockdownBlocked = blocked; setEditable(); } });
  showEnd();
  setEditable();
  tick();
  void sync.start().then(countWords);
  void renderPaper(exam.sittingId, exam.aids.textToSpeech || exam.accommodations.textToSpeech).then((p) => paperSlot.replaceChildren(p));

  return () => {
    clearInterval(timer);
    window.removeEventListener('beforeunload', beforeUnload);
    unsubscribe();
    stopGuard();
    editor?.destroy();
    sync.destroy();
  };
}
