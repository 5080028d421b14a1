import type { NationalOverview } from '../../../src/protocol/liveEvents.ts';
import { api, ApiError } from '../shell/api.ts';
import { h } from '../shell/dom.ts';
import { formatTime, tr } from '../shell/i18n.ts';
import { openLiveSocket } from '../shell/socket.ts';

type Totals = NationalOverview['total'];
type Overview = NationalOverview & { at: string };

const COLUMNS: [keyof Totals, string, string][] = [
  ['registered', 'Tilmeldt', 'Registered'],
  ['lobby', 'Venter', 'Waiting'],
  ['writing', 'Skriver', 'Writing'],
  ['disconnected', 'Afbrudt', 'Disconnected'],
  ['handed_in', 'Afleveret', 'Handed in'],
  ['absent', 'Fraværende', 'Absent'],
];

/** The national view (docs/rules.md §2): per school and in total, pushed over a websocket as candidates move. */
export function renderOverview(box: HTMLElement, sittingId: number): () => void {
  const draw = ({ schools, total, at }: Overview) => {
    box.replaceChildren(
      h('h2', {}, tr('Landsoverblik', 'National overview')),
      h('p', { class: 'hint' }, tr(`Opdateret ${formatTime(at)}`, `Updated ${formatTime(at)}`)),
      h(
        'table',
        { id: 'national-overview' },
        h('thead', {}, h('tr', {}, h('th', {}, tr('Skole', 'School')), ...COLUMNS.map(([, da, en]) => h('th', {}, tr(da, en))))),
        h(
          'tbody',
          {},
          ...schools.map((r) => h('tr', {}, h('td', {}, r.school), ...COLUMNS.map(([k]) => h('td', {}, String(r[k]))))),
          h('tr', { class: 'total' }, h('th', {}, tr('I alt', 'Total')), ...COLUMNS.map(([k]) => h('th', {}, String(total[k])))),
        ),
      ),
    );
  };
  // The first picture over HTTP, so the table shows even before (or without) the socket.
  api<Omit<Overview, 'at'>>(`/api/ministry/sittings/${sittingId}/overview`)
    .then((d) => draw({ ...d, at: new Date().toISOString() }))
    .catch((err: unknown) => console.warn('national overview: the first picture failed; waiting for the socket', err instanceof ApiError ? err.detail : err));
  const socket = openLiveSocket<Overview>(`/ws/national/${sittingId}`, {
    onMessage: draw,
    onClose: (e, final) => {
      if (final) box.append(h('p', { class: 'error', role: 'alert' }, e.reason || tr('Landsoverblikket er lukket.', 'The national overview is closed.')));
    },
  });
  return () => socket.close();
}
