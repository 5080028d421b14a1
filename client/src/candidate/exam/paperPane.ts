import { h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import type { ExamView } from '../types.ts';
import { renderPaper } from '../paper.ts';

/** The question paper's column: a placeholder until the paper (released at the start, docs/rules.md §2) is loaded. */
export function createPaperPane(exam: ExamView) {
  const element = h('div', { class: 'paper-slot' }, h('p', { class: 'paper card', role: 'status' }, tr('Henter opgavesættet…', 'Loading the question paper…')));
  let gone = false;
  return {
    element,
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
