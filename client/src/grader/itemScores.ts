import { api, ApiError } from '../shell/api.ts';
import { announce, asyncListener, h } from '../shell/dom.ts';
import { tr } from '../shell/i18n.ts';
import { enterView } from '../shell/transition.ts';

/** Shapes of the item test's grading API (src/items/gradingRoutes.ts, docs/rules.md §14.9). */
interface ResultRow {
  examNumber: string;
  submissionId: number;
  total: number;
  maxTotal: number;
}
interface ScoredItem {
  item: string;
  title: string;
  part: string;
  prompt: string[];
  responses: string[];
  manual: boolean;
  automatic: number;
  score: number;
  maxScore: number | null;
  graded: { score: number; reason: string | null } | null;
}
interface Sheet {
  submissionId: number;
  examNumber: string;
  total: { score: number; maxScore: number } | null;
  items: ScoredItem[];
}

const num = (n: number) => String(n).replace('.', ',');

/**
 * An item test's scores in the graders' portal, shown once grading is open: each submission's total, and per
 * submission every item with the response and automatic score, a score field for extended texts, and a change of an
 * automatic score with its reason. Renders nothing for an essay.
 */
export function itemScoresPanel(sittingId: number, gradingOpen: boolean): HTMLElement {
  const section = h('section', { class: 'item-scores', 'aria-labelledby': `item-scores-${sittingId}` });
  if (gradingOpen) void load(section, sittingId);
  return section;
}

async function load(section: HTMLElement, sittingId: number): Promise<void> {
  let results: ResultRow[];
  try {
    results = (await api<{ results: ResultRow[] }>(`/api/sittings/${sittingId}/items/results`)).results;
  } catch (err) {
    // An essay has no item package: nothing to show.
    if (err instanceof ApiError && err.status === 404) return;
    section.replaceChildren(h('p', { class: 'error', role: 'alert' }, (err as Error).message));
    return;
  }
  const detail = h('div', {});
  const totals = new Map<number, HTMLElement>();
  const rows = results.map((r) => {
    const total = h('td', {}, `${num(r.total)} / ${num(r.maxTotal)}`);
    totals.set(r.submissionId, total);
    const open = h(
      'button',
      { onclick: asyncListener(() => showSheet(detail, sittingId, r.submissionId, totals)) },
      tr(`Point for ${r.examNumber}`, `Scores for ${r.examNumber}`),
    );
    return h('tr', {}, h('th', { scope: 'row' }, r.examNumber), total, h('td', {}, open));
  });
  section.replaceChildren(
    h('h2', { id: `item-scores-${sittingId}` }, tr('Point i opgaveprøven', 'Item test scores')),
    h(
      'p',
      { class: 'hint' },
      tr(
        'Åbne opgaver (længere tekst) får point af dig. Et automatisk point kan ændres med en begrundelse; alt logges.',
        'Open items (extended text) are scored by you. An automatic score can be changed with a reason; everything is logged.',
      ),
    ),
    h(
      'table',
      {},
      h('caption', { class: 'sr-only' }, tr('Samlede point efter prøvenummer', 'Totals by exam number')),
      h('thead', {}, h('tr', {}, ...[tr('Prøvenummer', 'Exam number'), tr('Point i alt', 'Total'), ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...rows),
    ),
    detail,
  );
}

async function showSheet(detail: HTMLElement, sittingId: number, submissionId: number, totals: Map<number, HTMLElement>): Promise<void> {
  let sheet: Sheet;
  try {
    sheet = await api<Sheet>(`/api/sittings/${sittingId}/items/submissions/${submissionId}/scores`);
  } catch (err) {
    detail.replaceChildren(h('p', { class: 'error', role: 'alert' }, (err as Error).message));
    return;
  }
  const totalText = h('p', { id: `item-total-${submissionId}` });
  const setTotal = (t: { score: number; maxScore: number } | null) => {
    totalText.textContent = t ? tr(`I alt: ${num(t.score)} af ${num(t.maxScore)} point`, `Total: ${num(t.score)} of ${num(t.maxScore)} points`) : '';
    if (t) totals.get(submissionId)!.textContent = `${num(t.score)} / ${num(t.maxScore)}`;
  };
  setTotal(sheet.total);
  const heading = h('h3', {}, tr(`Point for ${sheet.examNumber}`, `Scores for ${sheet.examNumber}`));
  const pdf = h(
    'a',
    { href: `/api/submissions/${submissionId}/grader.pdf`, download: `${sheet.examNumber}-bedoemmer.pdf` },
    tr(`Hent bedømmerens PDF for ${sheet.examNumber} (med point og nøgle)`, `Download the grader's PDF for ${sheet.examNumber} (with scores and key)`),
  );
  detail.replaceChildren(heading, totalText, h('p', {}, pdf), ...sheet.items.map((item, i) => itemRow(sittingId, sheet, item, i + 1, setTotal)));
  enterView(heading, tr(`Point for ${sheet.examNumber}`, `Scores for ${sheet.examNumber}`));
}

function itemRow(sittingId: number, sheet: Sheet, item: ScoredItem, n: number, setTotal: (t: Sheet['total']) => void): HTMLElement {
  const base = `item-${sheet.submissionId}-${item.item}`;
  const max = item.maxScore === null ? '' : tr(` af ${num(item.maxScore)}`, ` of ${num(item.maxScore)}`);
  const score = h('input', { id: `${base}-score`, type: 'number', min: 0, step: 0.5, inputmode: 'decimal', class: 'item-score' });
  if (item.maxScore !== null) score.max = String(item.maxScore);
  score.value = String(item.score);
  const reason = h('input', { id: `${base}-reason`, type: 'text', maxlength: 500, class: 'item-reason' });
  reason.value = item.graded?.reason ?? '';
  const status = h('span', { class: 'hint', 'aria-live': 'polite' });
  const save = h('button', { type: 'submit' }, tr(`Gem point for opgave ${n}`, `Save score for item ${n}`));
  const form = h(
    'form',
    {
      class: 'item-score-row',
      onsubmit: asyncListener(async (e: Event) => {
        e.preventDefault();
        save.disabled = true;
        try {
          const value = Number(score.value.replace(',', '.'));
          const r = await api<{ total: Sheet['total'] }>(
            `/api/sittings/${sittingId}/items/submissions/${sheet.submissionId}/scores/${encodeURIComponent(item.item)}`,
            {
              method: 'PUT',
              json: { score: value, reason: reason.value.trim() || undefined },
            },
          );
          setTotal(r.total);
          status.className = 'ok';
          status.textContent = tr('Gemt', 'Saved');
          announce(tr(`Opgave ${n}: ${num(value)} point gemt for ${sheet.examNumber}`, `Item ${n}: ${num(value)} points saved for ${sheet.examNumber}`));
        } catch (err) {
          status.className = 'error';
          status.textContent = err instanceof ApiError ? err.detail : String(err);
        } finally {
          save.disabled = false;
        }
      }),
    },
    h('h4', {}, `${n}. ${item.title}`),
    ...item.prompt.map((p) => h('p', { class: 'item-prompt' }, p)),
    h('p', {}, h('strong', {}, tr('Elevens svar: ', 'Response: ')), item.responses.join(' · ')),
    h(
      'p',
      { class: 'hint' },
      item.manual
        ? tr('Bedømmes af dig (længere tekst).', 'Scored by you (extended text).')
        : tr(`Automatisk: ${num(item.automatic)}${max} point.`, `Automatic: ${num(item.automatic)}${max} points.`),
    ),
    h('label', { for: score.id }, tr(`Point for opgave ${n}${max}`, `Score for item ${n}${max}`)),
    ' ',
    score,
    ' ',
    h('label', { for: reason.id }, item.manual ? tr('Bemærkning (valgfri)', 'Note (optional)') : tr('Begrundelse for ændring', 'Reason for the change')),
    ' ',
    reason,
    ' ',
    save,
    ' ',
    status,
  );
  return form;
}
