import { h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import type { ExamView } from '../types.ts';
import { renderPaper } from '../paper.ts';

const FOLDED_KEY = 'provesal.paperFolded';

/**
 * The question paper's column: a placeholder until the paper (released at the start, docs/rules.md §2) is loaded.
 * The pupil can fold it away (a disclosure button) to give the answer the whole width; the choice lasts the tab.
 */
export function createPaperPane(exam: ExamView) {
  const element = h(
    'div',
    { class: 'paper-slot', id: 'paper-slot' },
    h('p', { class: 'paper card', role: 'status' }, tr('Henter opgavesættet…', 'Loading the question paper…')),
  );
  const fold = h(
    'button',
    { type: 'button', id: 'fold-paper', 'aria-controls': 'paper-slot' },
    h('span', { 'aria-hidden': 'true', class: 'chevron' }),
    tr('Opgavesæt', 'Question paper'),
  );
  const show = (shown: boolean) => {
    element.hidden = !shown;
    fold.setAttribute('aria-expanded', String(shown));
    element.parentElement?.classList.toggle('paper-folded', !shown);
    sessionStorage.setItem(FOLDED_KEY, shown ? '0' : '1');
  };
  fold.addEventListener('click', () => show(element.hidden));
  let gone = false;
  return {
    element,
    /** The disclosure button (aria-expanded) that folds the paper away and back. */
    fold,
    /** Applies the tab's last choice once the pane is in the page. */
    restoreFold(): void {
      show(sessionStorage.getItem(FOLDED_KEY) !== '1');
    },
    load(): void {
      renderPaper(exam.sittingId, exam.aids.textToSpeech || exam.accommodations.textToSpeech)
        .then((paper) => {
          if (!gone) element.replaceChildren(paper);
        })
        .catch((err: unknown) => console.warn('the question paper could not be shown', err));
    },
    destroy(): void {
      gone = true;
    },
  };
}
