import { AnswerClose } from '../../../src/protocol/closeCodes.ts';
import type { Control, Receipt } from '../../../src/protocol/control.ts';
import { api } from '../shell/api.ts';
import { serverNow } from '../shell/clock.ts';
import { announce, h } from '../shell/dom.ts';
import { tr } from '../shell/i18n.ts';
import { enterView } from '../shell/transition.ts';
import { AnswerSync } from './answerSync.ts';
import { createAttachments } from './attachments/attachments.ts';
import { createEditorPane } from './exam/editorPane.ts';
import { createExamHeader } from './exam/header.ts';
import { createPaperPane } from './exam/paperPane.ts';
import { createSaveStatus } from './exam/saveStatus.ts';
import { canHandIn, canWrite, initialExamState, reduce, type ExamEvent } from './exam/state.ts';
import { Poller, stoppedText } from './exam/stops.ts';
import { mountSimpleWriting } from './exam/simpleEditor.ts';
import { createTimeNotice } from './exam/timeNotice.ts';
import { createTimeStatus } from './exam/timeStatus.ts';
import { openHandInDialog } from './handIn.ts';
import { createItemTestPane } from './items/itemTestPane.ts';
import { OFFLINE_NOTICE } from './offlineExam.ts';
import { startLockdown } from './lockdown.ts';
import type { ExamView } from './types.ts';

interface Callbacks {
  onReceipt(r: Receipt): void;
  onTooEarly(): void;
  /** True when the page comes straight from the lobby at the start: the pupil hears that the exam has begun. */
  justStarted?: boolean;
  /** Opened from the browser's copy without a connection: the pupil reads a calm word about it. */
  offline?: boolean;
}

/**
 * The exam: question paper beside the answer editor, remaining time and an honest save indicator. The page's
 * state lives in one ExamState (exam/state.ts), changed only through `dispatch`; the components render it.
 */
export function renderExamPage(root: HTMLElement, exam: ExamView, cb: Callbacks): () => void {
  let state = initialExamState(new Date(exam.endsAt).getTime(), exam.paused);
  const poller = new Poller();
  const sync = new AnswerSync(
    exam.registrationId,
    (c) => onControl(c),
    (code) => onStopped(code),
  );
  const save = createSaveStatus();
  const time = createTimeStatus();
  const notice = createTimeNotice();
  // An item test takes the editor's place (and has no question paper beside it): client/src/candidate/items/.
  const items = exam.itemTest ? createItemTestPane(sync, exam) : null;
  // The pupil's files (client/src/candidate/attachments/): the panel under the answer, and pasted or dropped images.
  const attachments = items ? null : createAttachments(exam, sync.doc, sync.fragment);
  const editor = items ?? createEditorPane(sync.fragment, { spellCheck: exam.aids.spellCheck, files: attachments?.sink });
  const paper = createPaperPane(exam);
  const header = createExamHeader(
    exam,
    [time.remaining, time.endLine, save.indicator, editor.words],
    () => openHandInDialog(exam.registrationId, sync, cb.onReceipt, attachments?.uploading()),
    items ? [] : [paper.fold],
  );
  // Not a live region of its own: a new banner is said through the page's one polite region (docs/accessibility.md).
  const banner = h('p', { class: 'banner', id: 'exam-banner', hidden: true });
  let simple: ReturnType<typeof mountSimpleWriting> | null = null;

  const render = () => {
    const text = state.banner ? tr(...state.banner) : '';
    if (text && text !== banner.textContent) announce(text);
    banner.hidden = !state.banner;
    banner.classList.toggle('calm', state.banner === OFFLINE_NOTICE);
    banner.textContent = text;
    editor.setEditable(canWrite(state));
    simple?.setEditable(canWrite(state));
    header.setHandInAllowed(canHandIn(state));
    time.render(state, serverNow());
    notice.render(state, serverNow());
    save.render(sync.state()); // re-evaluates the 10-second warning
  };
  const dispatch = (e: ExamEvent) => {
    state = reduce(state, e);
    render();
  };

  function onControl(c: Control) {
    items?.control(c);
    switch (c.type) {
      case 'window':
        // A window control comes only to an admitted socket: whatever stopped writing before is over.
        if (state.stopped !== null && !c.locked) {
          poller.cancel();
          dispatch({ type: 'unlocked' });
        }
        simple?.allow(c.simpleWriting);
        return dispatch({ type: 'window', endsAt: new Date(c.endsAt).getTime(), paused: c.paused, now: serverNow() });
      case 'handed_in':
        if (c.receipt) cb.onReceipt(c.receipt);
        return;
      case 'replaced':
        return onStopped(AnswerClose.replaced.code);
      case 'notice':
        return dispatch({ type: 'notice', text: [c.da, c.en] });
    }
  }

  function onStopped(code: number) {
    if (code === AnswerClose.tooEarly.code) return cb.onTooEarly();
    dispatch({ type: 'stopped', text: stoppedText(code) });
    const receipt = () =>
      api<Receipt>(`/api/exam/registrations/${exam.registrationId}/receipt`).then((r) => {
        cb.onReceipt(r);
        return true;
      });
    if (code === AnswerClose.windowClosed.code) {
      // The automatic hand-in at the end may take a moment: keep asking for the receipt.
      receipt().catch(() => poller.until(receipt, 3_000));
    }
    if (code === AnswerClose.locked.code) {
      // Only the invigilator can unlock; then writing continues here without a reload.
      poller.until(async () => {
        const v = await api<ExamView>(`/api/exam/registrations/${exam.registrationId}`);
        if (v.receipt) {
          cb.onReceipt(v.receipt);
          return true;
        }
        if (v.locked || v.phase !== 'writing') return false;
        dispatch({ type: 'unlocked' });
        sync.resume();
        return true;
      }, 10_000);
    }
    if (code === AnswerClose.deviceInUse.code) {
      // The invigilator's permission (or the other device gone for a minute) lets the server admit this one.
      poller.until(async () => {
        sync.resume();
        return false;
      }, 5_000);
    }
    if (code === AnswerClose.unauthenticated.code) {
      sessionStorage.setItem('provesal.notice', JSON.stringify(stoppedText(code)));
      window.dispatchEvent(new CustomEvent('provesal:signed-out'));
    }
  }

  const unsubscribe = sync.subscribe((s) => save.render(s));
  const timer = window.setInterval(() => dispatch({ type: 'tick', now: serverNow() }), 1000);
  const beforeUnload = (e: BeforeUnloadEvent) => {
    if (sync.hasUnsaved) {
      e.preventDefault();
      e.returnValue = '';
    }
  };
  window.addEventListener('beforeunload', beforeUnload);

  root.replaceChildren(
    h(
      'main',
      { id: 'main', class: 'exam' },
      header.element,
      save.warning,
      banner,
      notice.element,
      h('div', { class: items ? 'exam-items' : 'exam-columns' }, items ? null : paper.element, editor.element),
    ),
  );
  editor.attach();
  if (attachments?.element) editor.element.append(attachments.element);
  // Simple writing mode (docs/rules.md §13): its own module, on the same Yjs fragment, inside the guarded editor root.
  if (!items) {
    simple = mountSimpleWriting(editor.element, editor.editorRoot, exam.registrationId, sync.fragment, { spellCheck: exam.aids.spellCheck });
    simple.allow(exam.accommodations.simpleWriting);
  }
  if (!items) paper.restoreFold();
  enterView(
    header.heading,
    tr(`Prøve i gang: ${exam.subject}`, `Exam in progress: ${exam.subject}`),
    cb.justStarted
      ? tr('Prøven er startet. Opgavesættet og din besvarelse er åbne.', 'The exam has started. The question paper and your answer are open.')
      : tr('Prøven er i gang. Din besvarelse er åben.', 'The exam is in progress. Your answer is open.'),
  );
  const stopLockdown = startLockdown(exam, editor.editorRoot, (blocked) => dispatch({ type: 'lockdown', blocked }));
  dispatch({ type: 'tick', now: serverNow() });
  if (cb.offline) dispatch({ type: 'notice', text: OFFLINE_NOTICE });
  const opened = sync.start();
  opened.then(editor.showWords, (err: unknown) => console.warn('the answer could not be opened', err));
  // After the answer is open: a resumed image upload finds its image in the document.
  void opened
    .catch(() => undefined)
    .then(() => attachments?.start())
    .catch((err: unknown) => console.warn('the upload queue could not be opened', err));
  if (!items) paper.load();

  return () => {
    clearInterval(timer);
    poller.stop();
    paper.destroy();
    window.removeEventListener('beforeunload', beforeUnload);
    unsubscribe();
    stopLockdown();
    simple?.destroy();
    attachments?.destroy();
    editor.destroy();
    sync.destroy();
  };
}
