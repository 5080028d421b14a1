import { api, ApiError } from '../shell/api.ts';
import type { RenderView } from '../shell/context.ts';
import { announce, h } from '../shell/dom.ts';
import { formatDateTime, formatTime, tr } from '../shell/i18n.ts';
import { openActionDialog, openRoomDialog } from './actions.ts';
import './invigilator.css';
import type { CandidateRow, RoomRef } from './types.ts';

const STATE: Record<string, [string, string]> = {
  not_arrived: ['Ikke ankommet', 'Not arrived'], lobby: ['Venter', 'Waiting'], writing: ['Skriver', 'Writing'],
  handed_in: ['Afleveret', 'Handed in'], absent: ['Fraværende', 'Absent'], ill: ['Syg', 'Ill'],
};
const LOCKDOWN: Record<string, [string, string]> = {
  left_fullscreen: ['forlod fuld skærm', 'left fullscreen'], focus_lost: ['mistede fokus', 'lost focus'],
  visibility_hidden: ['skiftede fane', 'switched tab'], paste_blocked: ['indsæt blokeret', 'paste blocked'],
  print_blocked: ['udskrift blokeret', 'print blocked'], devtools_blocked: ['udviklerværktøj blokeret', 'devtools blocked'],
  context_menu_blocked: ['højreklik blokeret', 'context menu blocked'], seb_mismatch: ['SEB-kontrol fejlede', 'SEB check failed'],
};

/** The invigilator's area: pick a room, then the live room (docs/rules.md §5). */
export const renderInvigilator: RenderView = async (root) => {
  let socket: WebSocket | null = null;
  let retry: number | null = null;
  const stop = () => { socket?.close(); socket = null; if (retry) clearTimeout(retry); };

  const pick = async () => {
    stop();
    const { rooms } = await api<{ rooms: RoomRef[] }>('/api/invigilation/rooms');
    if (rooms.length === 1) return live(rooms[0]);
    root.replaceChildren(h('main', { id: 'main' }, h('h1', {}, tr('Vælg lokale', 'Choose a room')),
      rooms.length ? h('ul', { class: 'room-list' }, ...rooms.map((r) => h('li', {},
        h('button', { type: 'button', class: 'primary', onclick: () => live(r) }, `${r.room} · ${r.subject} · ${formatDateTime(r.startsAt)}`))))
        : h('p', {}, tr('Du er ikke tilknyttet nogen lokaler.', 'You are not assigned to any rooms.'))));
  };

  const live = (room: RoomRef) => {
    stop();
    const rows = new Map<number, CandidateRow>();
    const tbody = h('tbody');
    const status = h('p', { class: 'live-status', role: 'status' });
    const feed = h('ol', { class: 'feed', 'aria-label': tr('Hændelser', 'Events') });
    let attempts = 0;

    const render = () => tbody.replaceChildren(...[...rows.values()].map((c) => renderRow(c, room)));
    const log = (text: string, urgent = false) => {
      feed.prepend(h('li', { class: urgent ? 'urgent' : '' }, `${formatTime(Date.now())} ${text}`));
      while (feed.children.length > 50) feed.lastChild?.remove();
      if (urgent) announce(text);
    };
    const apply = (e: Record<string, any>) => {
      if (e.type === 'incident') return log(tr(`Hændelsesnotat: ${e.note}`, `Incident note: ${e.note}`));
      const c = rows.get(e.registrationId);
      if (!c) return;
      if (e.type === 'candidate.connected') { c.connected = true; c.presenceSince = e.at; log(tr(`${c.examNumber} ${c.name} forbundet`, `${c.examNumber} ${c.name} connected`)); }
      if (e.type === 'candidate.disconnected') {
        c.connected = false; c.presenceSince = e.at;
        const why = e.reason === 'node-lost' ? tr(' (serveren svarer ikke)', ' (server not responding)') : '';
        log(tr(`${c.examNumber} ${c.name} har mistet forbindelsen${why}`, `${c.examNumber} ${c.name} disconnected${why}`), true);
      }
      if (e.type === 'candidate.saved') { c.lastSavedAt = e.at; c.words = e.words; }
      if (e.type === 'candidate.state') { c.state = e.state; }
      if (e.type === 'lockdown') {
        c.lockdownEvents.unshift({ type: e.eventType, at: e.at, durationMs: e.durationMs ?? null });
        log(`${c.examNumber} ${c.name}: ${tr(...(LOCKDOWN[e.eventType] ?? [e.eventType, e.eventType]))}`, true);
      }
      render();
    };
    const connect = () => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/invigilate/${room.sittingId}/${room.roomId}`);
      socket = ws;
      ws.onopen = () => { attempts = 0; status.textContent = tr('Live', 'Live'); status.className = 'live-status ok'; };
      ws.onmessage = (m) => {
        const msg = JSON.parse(m.data);
        if (msg.type === 'snapshot') { rows.clear(); for (const c of msg.candidates) rows.set(c.registrationId, c); render(); }
        else if (msg.type === 'candidate') { rows.set(msg.candidate.registrationId, msg.candidate); render(); }
        else if (msg.type === 'event') apply(msg.event);
      };
      ws.onclose = (e) => {
        if (socket !== ws) return;
        status.textContent = tr('Forbindelsen er afbrudt – prøver igen…', 'Connection lost – retrying…');
        status.className = 'live-status warn';
        if (e.code >= 4400 && e.code < 4500) { status.textContent = e.reason; return; }
        retry = window.setTimeout(connect, Math.min(15_000, 500 * 2 ** attempts++) * (0.5 + Math.random()));
      };
    };

    root.replaceChildren(h('main', { id: 'main', class: 'live-room' },
      h('div', { class: 'room-head' },
        h('div', {}, h('h1', {}, `${room.room} · ${room.subject}`), h('p', { class: 'muted' }, `${room.school} · ${formatDateTime(room.startsAt)}`)),
        status,
        h('div', { class: 'room-actions' },
          h('button', { type: 'button', onclick: () => openRoomDialog(room, 'extra-time') }, tr('Ekstra tid til alle', 'Extra time for all')),
          h('button', { type: 'button', onclick: () => openRoomDialog(room, 'incident') }, tr('Hændelsesnotat', 'Incident note')),
          h('button', { type: 'button', class: 'danger', onclick: () => openRoomDialog(room, 'end') }, tr('Afslut prøven i lokalet', 'End the exam in this room')),
          h('button', { type: 'button', onclick: () => void pick() }, tr('Skift lokale', 'Change room')))),
      h('div', { class: 'room-grid' },
        h('table', { class: 'roster', 'aria-label': tr('Elever i lokalet', 'Candidates in the room') },
          h('thead', {}, h('tr', {}, ...[['Prøvenr.', 'Exam no.'], ['Navn', 'Name'], ['Status', 'State'], ['Forbindelse', 'Connection'],
            ['Sidst gemt', 'Last saved'], ['Ord', 'Words'], ['Slutter', 'Ends'], ['Låsning', 'Lockdown'], ['', '']].map(([da, en]) => h('th', { scope: 'col' }, tr(da, en))))),
          tbody),
        h('section', { class: 'feed-box' }, h('h2', {}, tr('Hændelser', 'Events')), feed))));
    connect();
  };

  function renderRow(c: CandidateRow, room: RoomRef): HTMLElement {
    const since = c.presenceSince ? formatTime(c.presenceSince) : '';
    const connection = c.connected ? h('span', { class: 'badge ok' }, tr('Forbundet', 'Connected'))
      : c.presenceSince ? h('span', { class: 'badge bad' }, tr(`Afbrudt siden ${since}`, `Disconnected since ${since}`))
        : h('span', { class: 'badge muted' }, tr('Ikke set', 'Not seen'));
    const last = c.lockdownEvents[0];
    return h('tr', { 'data-registration': String(c.registrationId), class: c.connected ? '' : c.presenceSince && c.state === 'writing' ? 'row-alert' : '' },
      h('td', {}, c.examNumber), h('td', {}, c.name),
      h('td', {}, h('span', { class: `badge state-${c.state}` }, tr(...(STATE[c.state] ?? [c.state, c.state]))), c.paused ? h('span', { class: 'badge warn' }, tr('Pause', 'Paused')) : null,
        c.locked ? h('span', { class: 'badge bad', title: c.locked }, tr('Låst', 'Locked')) : null),
      h('td', {}, connection),
      h('td', {}, c.lastSavedAt ? formatTime(c.lastSavedAt) : '–'),
      h('td', {}, String(c.words)),
      h('td', { class: 'ends' }, formatTime(c.endsAt, false), c.extraMinutes ? ` (+${c.extraMinutes})` : ''),
      h('td', {}, last ? `${tr(...(LOCKDOWN[last.type] ?? [last.type, last.type]))} ${formatTime(last.at)}` : '–'),
      h('td', {}, h('button', { type: 'button', 'aria-label': tr(`Handlinger for ${c.examNumber}`, `Actions for ${c.examNumber}`),
        onclick: () => openActionDialog(room, c) }, tr('Handlinger', 'Actions'))));
  }

  try { await pick(); } catch (err) {
    root.replaceChildren(h('main', { id: 'main' }, h('p', { class: 'error', role: 'alert' }, err instanceof ApiError ? err.detail : String(err))));
  }
  return stop;
};
