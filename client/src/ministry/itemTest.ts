import type { ItemStatistics } from '../../../src/protocol/itemResponses.ts';
import { api, ApiError } from '../shell/api.ts';
import { confirmDialog } from '../shell/confirmDialog.ts';
import { announce, asyncListener, h } from '../shell/dom.ts';
import { tr } from '../shell/i18n.ts';
import type { Sitting } from './types.ts';

/** Shapes of the item test API (src/items/routes.ts, docs/rules.md §14). */
interface PackageInfo {
  sha256: string;
  items: number;
  parts: { identifier: string; maxTimeSeconds: number | null }[];
}
interface Problem {
  file: string;
  line: number | null;
  message: string;
}
interface Result {
  examNumber: string;
  total: number;
  maxTotal: number;
}

const pct = (n: number) => `${Math.round(n * 1000) / 10} %`.replace('.', ',');
const num = (n: number) => String(Math.round(n * 100) / 100).replace('.', ',');

/**
 * The ministry's item test for one sitting: upload of the QTI package before the start (the check report's problems
 * with file and line), and from the start the results, the per-item statistics with CSV, and key corrections.
 */
export function itemTestPanel(s: Sitting): HTMLElement {
  const card = h('section', { class: 'card', id: 'item-test', 'aria-labelledby': 'item-test-title' });
  render(card, s).catch((err: unknown) => {
    card.replaceChildren(h('p', { class: 'error', role: 'alert' }, err instanceof ApiError ? err.detail : String(err)));
  });
  return card;
}

async function render(card: HTMLElement, s: Sitting): Promise<void> {
  const info = await api<PackageInfo>(`/api/sittings/${s.id}/items/info`).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  });
  const editable = s.state === 'scheduled' || s.state === 'lobby';
  if (!editable && !info) return card.remove();
  const title = h('h2', { id: 'item-test-title' }, tr('Opgaveprøve (QTI)', 'Item test (QTI)'));
  const state = h(
    'p',
    { id: 'item-package' },
    info
      ? tr(
          `Opgavepakke: ${info.items} opgaver i ${info.parts.length} dele, forseglet.`,
          `Item package: ${info.items} items in ${info.parts.length} parts, sealed.`,
        )
      : tr('Ingen opgavepakke (prøven er en skriftlig fremstilling).', 'No item package (the sitting is an essay).'),
  );
  card.replaceChildren(title, state, ...(editable ? [uploadForm(s, state)] : []));
  if (info && !editable) await results(card, s);
}

function uploadForm(s: Sitting, state: HTMLElement): HTMLElement {
  const file = h('input', { type: 'file', id: 'item-file', accept: '.zip,application/zip' });
  const out = h('div', { id: 'item-upload-result', role: 'status' });
  const upload = async () => {
    const zip = file.files?.[0];
    if (!zip) {
      out.replaceChildren(h('p', { class: 'error' }, tr('Vælg en ZIP-pakke.', 'Choose a ZIP package.')));
      return;
    }
    out.replaceChildren(h('p', { class: 'hint' }, tr('Kontrollerer pakken …', 'Checking the package …')));
    try {
      const r = await api<{ report: { items: number; maxScore: number }; package: PackageInfo }>(`/api/sittings/${s.id}/items`, {
        method: 'PUT',
        body: zip,
        headers: { 'content-type': 'application/zip' },
      });
      state.textContent = tr(`Opgavepakke: ${r.package.items} opgaver, forseglet.`, `Item package: ${r.package.items} items, sealed.`);
      out.replaceChildren(
        h(
          'p',
          { class: 'ok' },
          tr(
            `Pakken er godkendt: ${r.report.items} opgaver, højst ${num(r.report.maxScore)} point.`,
            `The package passed: ${r.report.items} items, at most ${num(r.report.maxScore)} points.`,
          ),
        ),
      );
    } catch (err) {
      const problems = err instanceof ApiError ? ((err.body.problems as Problem[] | undefined) ?? []) : [];
      out.replaceChildren(
        h('p', { class: 'error', role: 'alert' }, err instanceof ApiError ? err.detail : String(err)),
        ...(problems.length
          ? [
              h(
                'ul',
                { id: 'item-problems' },
                ...problems.map((p) => h('li', {}, h('code', {}, p.line === null ? p.file : `${p.file}:${p.line}`), ` – ${p.message}`)),
              ),
            ]
          : []),
      );
    }
  };
  return h(
    'div',
    {},
    h('label', { for: 'item-file' }, tr('Vælg QTI-pakke (ZIP)', 'Choose QTI package (ZIP)')),
    ' ',
    file,
    ' ',
    h('button', { type: 'button', class: 'primary', onclick: asyncListener(upload) }, tr('Kontrollér og forsegl', 'Check and seal')),
    out,
  );
}

async function results(card: HTMLElement, s: Sitting): Promise<void> {
  const list = h('div', { id: 'item-results' });
  const stats = h('div', { id: 'item-statistics' });
  const refresh = async () => {
    const [{ results: rows }, { items }] = await Promise.all([
      api<{ results: Result[] }>(`/api/sittings/${s.id}/items/results`),
      api<{ items: ItemStatistics[] }>(`/api/sittings/${s.id}/items/statistics`),
    ]);
    list.replaceChildren(
      h('h3', {}, tr('Resultater', 'Results')),
      rows.length
        ? table(
            tr('Resultater efter prøvenummer', 'Results by exam number'),
            [tr('Prøvenummer', 'Exam number'), tr('Point', 'Score')],
            rows.map((r) => [r.examNumber, `${num(r.total)} / ${num(r.maxTotal)}`]),
          )
        : h('p', {}, tr('Ingen besvarelser endnu.', 'No submissions yet.')),
    );
    stats.replaceChildren(
      h('h3', {}, tr('Statistik pr. opgave', 'Statistics per item')),
      h('p', {}, h('a', { href: `/api/sittings/${s.id}/items/statistics?format=csv`, download: '' }, tr('Hent statistik (CSV)', 'Download statistics (CSV)'))),
      table(
        tr('Statistik pr. opgave', 'Statistics per item'),
        [
          tr('Opgave', 'Item'),
          tr('Del', 'Part'),
          tr('Besvarelser', 'Submissions'),
          tr('Andel rigtige', 'Share correct'),
          tr('Gennemsnit', 'Mean'),
          tr('Andel ubesvarede', 'Share omitted'),
        ],
        items.map((i) => [i.item, i.part, String(i.submissions), pct(i.shareCorrect), num(i.meanScore), pct(i.shareOmitted)]),
      ),
    );
    return items;
  };
  const items = await refresh();
  card.append(list, correctionForm(s, items, refresh), stats);
}

function table(caption: string, head: string[], rows: string[][]): HTMLElement {
  return h(
    'table',
    {},
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...rows.map(([first, ...rest]) => h('tr', {}, h('th', { scope: 'row' }, first), ...rest.map((c) => h('td', {}, c))))),
  );
}

function correctionForm(s: Sitting, items: ItemStatistics[], refresh: () => Promise<unknown>): HTMLElement {
  const item = h('select', { id: 'kc-item' }, ...items.map((i) => h('option', { value: i.item }, i.item)));
  const response = h('input', { id: 'kc-response', type: 'text', value: 'RESPONSE', maxlength: 200 });
  const kind = h(
    'select',
    { id: 'kc-kind' },
    h('option', { value: 'add_variant' }, tr('Tilføj godkendt variant', 'Add an accepted variant')),
    h('option', { value: 'set_key' }, tr('Erstat nøglen', 'Replace the key')),
  );
  const value = h('input', { id: 'kc-value', type: 'text', maxlength: 2000, required: true });
  const score = h('input', { id: 'kc-score', type: 'number', value: '1', step: 0.5 });
  const out = h('p', { id: 'kc-result', role: 'status' });
  const field = (id: string, da: string, en: string, input: HTMLElement) => h('p', {}, h('label', { for: id }, tr(da, en)), ' ', input);
  const open = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      id: 'kc-open',
      onclick: () => {
        const values = value.value
          .split('|')
          .map((v) => v.trim())
          .filter(Boolean);
        if (!values.length) {
          out.textContent = tr('Skriv den værdi, der skal godkendes.', 'Write the value to accept.');
          return;
        }
        const change = kind.value === 'add_variant' ? { kind: 'add_variant', value: values[0], score: Number(score.value) } : { kind: 'set_key', values };
        const what =
          kind.value === 'add_variant'
            ? tr(`»${values[0]}« godkendes med ${num(Number(score.value))} point`, `»${values[0]}« is accepted for ${num(Number(score.value))} points`)
            : tr(`nøglen bliver »${values.join(' | ')}«`, `the key becomes »${values.join(' | ')}«`);
        confirmDialog({
          title: tr(`Ret nøglen til ${item.value}?`, `Correct the key of ${item.value}?`),
          body: [
            tr(
              `I opgave ${item.value} (${response.value}) ${what}. Alle besvarelser af prøven genberegnes, og hver ændring logges.`,
              `In item ${item.value} (${response.value}) ${what}. Every submission of the sitting is rescored, and each change is logged.`,
            ),
          ],
          confirmLabel: tr('Ret og genberegn', 'Correct and rescore'),
          onConfirm: async () => {
            const r = await api<{ submissions: number; changed: number }>(`/api/sittings/${s.id}/items/corrections`, {
              json: { itemIdentifier: item.value, responseIdentifier: response.value.trim(), change },
            });
            const text = tr(
              `Nøglen er rettet. ${r.submissions} besvarelser genberegnet, ${r.changed} fik ændret point.`,
              `The key is corrected. ${r.submissions} submissions rescored, ${r.changed} changed score.`,
            );
            out.textContent = text;
            announce(text);
            await refresh();
          },
        });
      },
    },
    tr('Ret nøglen …', 'Correct the key …'),
  );
  return h(
    'div',
    { id: 'key-correction' },
    h('h3', {}, tr('Ret nøglen', 'Correct the key')),
    field('kc-item', 'Opgave', 'Item', item),
    field('kc-response', 'Svar-id', 'Response identifier', response),
    field('kc-kind', 'Rettelse', 'Correction', kind),
    field('kc-value', 'Værdi (flere adskilt med |)', 'Value (several separated by |)', value),
    field('kc-score', 'Point for varianten', 'Points for the variant', score),
    open,
    out,
  );
}
