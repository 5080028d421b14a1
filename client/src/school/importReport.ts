import { h } from '../shell/dom.ts';
import { tr } from '../shell/i18n.ts';

export interface ImportRow {
  line: number;
  uniId: string | null;
  status: 'created' | 'updated' | 'unchanged' | 'refused';
  reason?: string;
  reason_en?: string;
}
export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  refused: number;
  rows: ImportRow[];
}

/** The server's row outcomes (src/schools/candidateImporter.ts) as the administrator reads them. */
const STATUS: Record<ImportRow['status'], [string, string]> = {
  created: ['Oprettet', 'Created'],
  updated: ['Opdateret', 'Updated'],
  unchanged: ['Uændret', 'Unchanged'],
  refused: ['Afvist', 'Refused'],
};

/** The CSV import's report: a summary sentence and the rows that changed or were refused, every word Danish first. */
export function importReport(r: ImportResult): Node[] {
  return [
    h(
      'p',
      {},
      tr(
        `${r.created} oprettet, ${r.updated} opdateret, ${r.unchanged} uændret, ${r.refused} afvist.`,
        `${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.refused} refused.`,
      ),
    ),
    h(
      'table',
      {},
      h('caption', { class: 'sr-only' }, tr('Importerede rækker', 'Imported rows')),
      h('thead', {}, h('tr', {}, ...[tr('Linje', 'Line'), 'Uni-id', tr('Resultat', 'Result'), tr('Årsag', 'Reason')].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        ...r.rows
          .filter((x) => x.status !== 'unchanged')
          .map((x) =>
            h(
              'tr',
              { class: x.status === 'refused' ? 'row-alert' : '' },
              h('td', {}, String(x.line)),
              h('td', {}, x.uniId ?? '–'),
              h('td', { class: 'status' }, tr(...(STATUS[x.status] ?? [x.status, x.status]))),
              h('td', {}, tr(x.reason ?? '', x.reason_en ?? '')),
            ),
          ),
      ),
    ),
  ];
}
