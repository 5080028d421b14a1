import { h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import type { ExamView } from '../types.ts';

/** The bar above the columns: which exam, the status lines passed in, and the hand-in button. */
export function createExamHeader(exam: ExamView, status: HTMLElement[], onHandIn: () => void, tools: HTMLElement[] = []) {
  const heading = h('h1', { id: 'exam-title' }, exam.subject);
  const handIn = h('button', { type: 'button', class: 'primary', id: 'hand-in', onclick: onHandIn }, tr('Aflever…', 'Hand in…'));
  const element = h(
    'div',
    { class: 'exam-bar' },
    h('div', { class: 'exam-heading' }, heading, h('p', { class: 'muted' }, tr(`Prøvenummer ${exam.examNumber}`, `Exam number ${exam.examNumber}`))),
    h('div', { class: 'exam-status' }, ...status),
    h('div', { class: 'exam-tools' }, ...tools, handIn),
  );
  return {
    element,
    /** Where focus goes when the exam opens (docs/accessibility.md). */
    heading,
    setHandInAllowed(allowed: boolean): void {
      handIn.disabled = !allowed;
    },
  };
}
