import { h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import type { ExamView } from '../types.ts';

/** The bar above the columns: which exam, the status lines passed in, and the hand-in button. */
export function createExamHeader(exam: ExamView, status: HTMLElement[], onHandIn: () => void) {
  const handIn = h('button', { type: 'button', class: 'primary', id: 'hand-in', onclick: onHandIn }, tr('Aflever…', 'Hand in…'));
  const element = h(
    'div',
    { class: 'exam-bar' },
    h('div', {}, h('h1', {}, exam.subject), h('p', { class: 'muted' }, tr(`Prøvenummer ${exam.examNumber}`, `Exam number ${exam.examNumber}`))),
    h('div', { class: 'exam-status' }, ...status),
    handIn,
  );
  return {
    element,
    setHandInAllowed(allowed: boolean): void {
      handIn.disabled = !allowed;
    },
  };
}
