import './grader.css';
import { api, ApiError } from '../shell/api.ts';
import type { RenderView } from '../shell/context.ts';
import { announce, h } from '../shell/dom.ts';
import { formatDateTime, tr } from '../shell/i18n.ts';
import { enterView } from '../shell/transition.ts';
import { GRADES, type SittingSummary, type SubmissionRow } from './types.ts';
import { itemScoresPanel } from './itemScores.ts';
import { verifyPanel } from './verifyPanel.ts';

/**
 * The graders' portal (censor): their sittings → submissions by exam number (never names), one PDF or all
 * as a streamed ZIP (plain links, so the browser streams to disk), grades on the 7-point scale, CSV, and
 * "Verificér fil".
 */
export const renderGraderPortal: RenderView = (root) => {
  const main = h('main', { id: 'main' });
  root.replaceChildren(main);
  void showSittings(main);
};

async function showSittings(main: HTMLElement): Promise<void> {
  main.replaceChildren(h('h1', {}, tr('Censur', 'Grading')), h('p', { class: 'hint' }, tr('Henter prøver …', 'Loading sittings …')));
  let sittings: SittingSummary[];
  try {
    sittings = (await api<{ sittings: SittingSummary[] }>('/api/submissions/sittings')).sittings;
  } catch (err) {
    main.replaceChildren(h('p', { class: 'error', role: 'alert' }, (err as Error).message));
    return;
  }
  const list = sittings.length
    ? h(
        'table',
        {},
        h('caption', { class: 'sr-only' }, tr('Dine prøver', 'Your sittings')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...[tr('Prøve', 'Sitting'), tr('Start', 'Start'), tr('Besvarelser', 'Submissions'), tr('PDF klar', 'PDF ready'), tr('Bedømt', 'Graded'), ''].map(
              (t) => h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...sittings.map((s) =>
            h(
              'tr',
              {},
              h('td', {}, `${s.subject} (FP${s.level})`),
              h('td', {}, formatDateTime(s.startsAt)),
              h('td', {}, String(s.submissions)),
              h('td', {}, String(s.pdfsReady)),
              h('td', {}, String(s.graded)),
              h('td', {}, h('button', { class: 'primary', onclick: () => showSitting(main, s) }, tr('Åbn', 'Open'))),
            ),
          ),
        ),
      )
    : h('p', {}, tr('Du er ikke tildelt nogen prøver endnu.', 'You are not assigned to any sittings yet.'));
  const heading = h('h1', {}, tr('Censur', 'Grading'));
  main.replaceChildren(heading, h('h2', {}, tr('Dine prøver', 'Your sittings')), list, verifyPanel());
  enterView(heading, tr('Censur', 'Grading'), tr(`Censur: ${sittings.length} prøver.`, `Grading: ${sittings.length} sittings.`));
}

async function showSitting(main: HTMLElement, listed: SittingSummary): Promise<void> {
  let s = listed;
  main.replaceChildren(h('p', { class: 'hint' }, tr('Henter besvarelser …', 'Loading submissions …')));
  let rows: SubmissionRow[];
  try {
    const r = await api<{ sitting: SittingSummary; submissions: SubmissionRow[] }>(`/api/submissions/sittings/${s.id}`);
    rows = r.submissions;
    s = { ...s, gradingOpen: r.sitting.gradingOpen, gradingOpensAt: r.sitting.gradingOpensAt };
  } catch (err) {
    main.replaceChildren(h('p', { class: 'error', role: 'alert' }, (err as Error).message));
    return;
  }
  const back = h('button', { onclick: () => showSittings(main) }, tr('← Alle prøver', '← All sittings'));
  const ready = rows.filter((r) => r.pdf === 'ready').length;
  const tools = h(
    'p',
    { style: 'display:flex; gap:0.6rem; flex-wrap:wrap' },
    h(
      'a',
      { href: `/api/submissions/sittings/${s.id}/pdfs.zip`, download: '', class: 'button' },
      tr(`Hent alle PDF'er som ZIP (${ready})`, `Download all PDFs as ZIP (${ready})`),
    ),
    h('a', { href: `/api/submissions/sittings/${s.id}/grades.csv`, download: '' }, tr('Eksportér karakterer (CSV)', 'Export grades (CSV)')),
    h('button', { onclick: () => showSitting(main, s) }, tr('Opdatér', 'Refresh')),
  );
  const table = h(
    'table',
    {},
    h('caption', { class: 'sr-only' }, tr('Besvarelser efter prøvenummer', 'Submissions by exam number')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...[
          tr('Prøvenummer', 'Exam number'),
          tr('Afleveret', 'Handed in'),
          tr('Ord', 'Words'),
          'PDF',
          ...(s.gradingOpen ? [tr('Karakter', 'Grade'), tr('Bemærkning', 'Note'), ''] : []),
        ].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h('tbody', {}, ...rows.map((r) => submissionRow(r, s.gradingOpen))),
  );
  const name = `${s.subject} (FP${s.level})`;
  const heading = h('h1', {}, name);
  const closed = tr(
    `Bedømmelsen åbner, når prøven er afsluttet${s.gradingOpensAt ? ` (${formatDateTime(s.gradingOpensAt)})` : ''}. Indtil da kan du se og hente de afleverede besvarelser.`,
    `Grading opens when the sitting has ended${s.gradingOpensAt ? ` (${formatDateTime(s.gradingOpensAt)})` : ''}. Until then you can see and download the answers handed in.`,
  );
  main.replaceChildren(
    back,
    heading,
    ...(s.gradingOpen ? [] : [h('p', { class: 'notice', id: 'grading-closed' }, closed)]),
    tools,
    rows.length ? table : h('p', {}, tr('Ingen besvarelser endnu.', 'No submissions yet.')),
    itemScoresPanel(s.id, s.gradingOpen),
    verifyPanel(),
  );
  enterView(
    heading,
    name,
    s.gradingOpen
      ? tr(`${name} åbnet: ${rows.length} besvarelser.`, `${name} opened: ${rows.length} submissions.`)
      : tr(`${name} åbnet: ${rows.length} besvarelser. ${closed}`, `${name} opened: ${rows.length} submissions. ${closed}`),
  );
}

function pdfCell(r: SubmissionRow): HTMLElement {
  if (r.pdf === 'ready') {
    return h(
      'td',
      {},
      h(
        'a',
        {
          href: `/api/submissions/${r.submissionId}/pdf`,
          download: `${r.examNumber}.pdf`,
          'aria-label': tr(`Hent PDF for ${r.examNumber}`, `Download PDF for ${r.examNumber}`),
        },
        tr('Hent PDF', 'Download PDF'),
      ),
    );
  }
  return h(
    'td',
    {},
    h(
      'span',
      { class: `badge ${r.pdf === 'failed' ? 'error' : 'warn'}` },
      r.pdf === 'failed' ? tr('Fejlet – kontakt support', 'Failed – contact support') : tr('Laves …', 'Being made …'),
    ),
  );
}

function submissionRow(r: SubmissionRow, gradingOpen: boolean): HTMLElement {
  const cells = [h('th', { scope: 'row' }, r.examNumber), h('td', {}, formatDateTime(r.handedInAt)), h('td', {}, String(r.wordCount)), pdfCell(r)];
  return h('tr', {}, ...cells, ...(gradingOpen ? gradeCells(r) : []));
}

/** The grade, a multi-line note with its own label, and "Gem" (both saved together, audited on the server). */
function gradeCells(r: SubmissionRow): HTMLElement[] {
  const id = `grade-${r.submissionId}`;
  const select = h(
    'select',
    { id, 'aria-label': tr(`Karakter for ${r.examNumber}`, `Grade for ${r.examNumber}`) },
    h('option', { value: '' }, '—'),
    ...GRADES.map((g) => h('option', { value: g, selected: r.grade === g }, g)),
  );
  const noteId = `note-${r.submissionId}`;
  const note = h('textarea', { id: noteId, class: 'grade-note', rows: 3, maxlength: 2000 });
  note.value = r.note ?? '';
  const noteLabel = h('label', { for: noteId, class: 'sr-only' }, tr(`Bemærkning til ${r.examNumber}`, `Note for ${r.examNumber}`));
  const status = h('span', { class: 'hint', 'aria-live': 'polite' });
  const save = h(
    'button',
    {
      onclick: async () => {
        if (!select.value) {
          status.textContent = tr('Vælg en karakter.', 'Choose a grade.');
          return;
        }
        save.disabled = true;
        try {
          await api(`/api/submissions/${r.submissionId}/grade`, { method: 'PUT', json: { grade: select.value, note: note.value || null } });
          status.className = 'ok';
          status.textContent = tr('Gemt', 'Saved');
          announce(tr(`Karakter ${select.value} gemt for ${r.examNumber}`, `Grade ${select.value} saved for ${r.examNumber}`));
        } catch (err) {
          status.className = 'error';
          status.textContent = err instanceof ApiError ? err.detail : String(err);
        } finally {
          save.disabled = false;
        }
      },
    },
    tr('Gem', 'Save'),
  );
  return [h('td', {}, select), h('td', {}, noteLabel, note), h('td', {}, save, ' ', status)];
}
