import { api } from '../shell/api.ts';
import { h } from '../shell/dom.ts';
import { formatTime, tr } from '../shell/i18n.ts';

interface Row { school: string; registered: number; lobby: number; writing: number; disconnected: number; handed_in: number; absent: number }

/** The national view (docs/rules.md §2): per school and in total, pushed over a websocket as candidates move. */
export function renderOverview(box: HTMLElement, sittingId: number): () => void {
  let ws: WebSocket | null = null;
  let closed = false;
  const draw = (schools: Row[], total: Omit<Row, 'school'>, at: string) => {
    const cols: [keyof Row, string, string][] = [['registered', 'Tilmeldt', 'Registered'], ['lobby', 'Venter', 'Waiting'], ['writing', 'Skriver', 'Writing'],
      ['disconnected', 'Afbrudt', 'Disconnected'], ['handed_in', 'Afleveret', 'Handed in'], ['absent', 'Fraværende', 'Absent']];
    box.replaceChildren(h('h2', {}, tr('Landsoverblik', 'National overview')), h('p', { class: 'hint' }, tr(`Opdateret ${formatTime(at)}`, `Updated ${formatTime(at)}`)),
      h('table', { id: 'national-overview' }, h('thead', {}, h('tr', {}, h('th', {}, tr('Skole', 'School')), ...cols.map(([, da, en]) => h('th', {}, tr(da, en))))),
        h('tbody', {}, ...schools.map((r) => h('tr', {}, h('td', {}, r.school), ...cols.map(([k]) => h('td', {}, String(r[k]))))),
          h('tr', { class: 'total' }, h('th', {}, tr('I alt', 'Total')), ...cols.map(([k]) => h('th', {}, String((total as Record<string, number>)[k])))))));
  };
  const connect = () => {
    ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/national/${sittingId}`);
    ws.onmessage = (m) => { const d = JSON.parse(m.data); draw(d.schools, d.total, d.at); };
    ws.onclose = () => { if (!closed) setTimeout(connect, 2000 * (0.5 + Math.random())); };
  };
  api<{ schools: Row[]; total: Omit<Row, 'school'> }>(`/api/ministry/sittings/${sittingId}/overview`).then((d) => draw(d.schools, d.total, new Date().toISOString())).catch(() => {});
  connect();
  return () => { closed = true; ws?.close(); };
}
