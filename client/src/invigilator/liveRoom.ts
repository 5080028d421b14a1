import type { LiveRoomMessage, RoomEvent } from '../../../src/protocol/liveEvents.ts';
import { h } from '../shell/dom.ts';
import { formatDateTime, tr } from '../shell/i18n.ts';
import { openLiveSocket } from '../shell/socket.ts';
import { openActionDialog, openRoomDialog } from './actions.ts';
import { enterView } from '../shell/transition.ts';
import { Feed, feedEntry } from './feed.ts';
import { isDone, renderRow, ROSTER_COLUMNS, updateRow } from './roster.ts';
import type { CandidateRow, RoomRef } from './types.ts';

/**
 * The live room (docs/rules.md §5): pushed, never polled. The server sends a snapshot, then room events as
 * they happen and a fresh row whenever a registration changed. Returns the function that leaves the room.
 */
export function renderLiveRoom(root: HTMLElement, room: RoomRef, onChangeRoom: () => void): () => void {
  const rows = new Map<number, CandidateRow>();
  const tbody = h('tbody');
  const status = h('p', { class: 'live-status', role: 'status' });
  const feed = new Feed();

  const trs = new Map<number, HTMLTableRowElement>();
  const act = (id: number, opener: HTMLElement) => {
    const c = rows.get(id);
    if (c) openActionDialog(c, opener);
  };
  /**
   * Rows are updated in place, never rebuilt: pupils typing update the room every second, and a rebuilt row would
   * drop the invigilator's focus (on "Handlinger", or inside a row) to <body>.
   */
  const render = () => {
    const wanted = [...rows.values()].map((c) => {
      let row = trs.get(c.registrationId);
      if (row) updateRow(row, c);
      else trs.set(c.registrationId, (row = renderRow(c, act)));
      return row;
    });
    for (const [id, row] of trs) {
      if (rows.has(id)) continue;
      row.remove();
      trs.delete(id);
    }
    // Moving a row would blur whatever is focused in it: only when the order really changed (a new snapshot).
    if (wanted.length !== tbody.children.length || wanted.some((row, i) => tbody.children[i] !== row)) tbody.replaceChildren(...wanted);
  };
  const renderOne = (id: number) => {
    const c = rows.get(id);
    const row = trs.get(id);
    if (c && row) updateRow(row, c);
    else render();
  };
  const who = (c: CandidateRow) => `${c.examNumber} ${c.name}`;
  const whoById = (id: number) => {
    const c = rows.get(id);
    return c ? who(c) : tr('En elev', 'A candidate');
  };
  const log = (text: string, at: string, urgent = false) => feed.add(text, at, { urgent });
  /** A stored event (hand-in, action, lock, lockdown, note) in the feed, live or replayed on opening the room. */
  const record = (e: RoomEvent & { seq?: number }, replay = false) => {
    const entry = feedEntry(e, whoById);
    if (entry) feed.add(entry.text, e.at, { urgent: entry.urgent, seq: e.seq, replay });
  };

  /** Applies one room event to its row; true when the row must be drawn again. */
  const apply = (e: RoomEvent & { seq?: number }): boolean => {
    record(e);
    if (e.type === 'incident') return false;
    const c = rows.get(e.registrationId);
    if (!c) return false;
    switch (e.type) {
      case 'candidate.connected':
        c.connected = true;
        c.presenceSince = e.at;
        log(tr(`${who(c)} forbundet`, `${who(c)} connected`), e.at);
        return true;
      case 'candidate.disconnected': {
        c.connected = false;
        c.presenceSince = e.at;
        // A node that stopped heartbeating is announced by the live room itself (roomFeed.ts) with this reason.
        const nodeLost = 'reason' in e && e.reason === 'node-lost';
        const why = nodeLost ? tr(' (serveren svarer ikke)', ' (server not responding)') : '';
        // Closing the page after the hand-in is the normal end of the exam, not an alarm.
        if (isDone(c.state)) log(tr(`${who(c)} har lukket siden`, `${who(c)} closed the page`), e.at);
        else log(tr(`${who(c)} har mistet forbindelsen${why}`, `${who(c)} disconnected${why}`), e.at, true);
        return true;
      }
      case 'candidate.saved':
        c.lastSavedAt = e.at;
        c.words = e.words;
        return true;
      case 'candidate.state':
        c.state = e.state;
        return true;
      case 'candidate.changed':
        return false; // the server sends the re-read row as a `candidate` message
      case 'lockdown':
        c.lockdownEvents.unshift({ type: e.eventType, at: e.at, durationMs: e.durationMs ?? null });
        return true;
    }
  };

  const onMessage = (m: LiveRoomMessage<CandidateRow>) => {
    switch (m.type) {
      case 'snapshot':
        rows.clear();
        for (const c of m.candidates) rows.set(c.registrationId, c);
        // The stored feed, replayed: what happened before this page was opened (or while it was away).
        for (const e of m.feed ?? []) record(e, true);
        return render();
      case 'candidate':
        rows.set(m.candidate.registrationId, m.candidate);
        return renderOne(m.candidate.registrationId);
      case 'event':
        if (apply(m.event) && 'registrationId' in m.event && m.event.registrationId !== null) renderOne(m.event.registrationId);
    }
  };

  const socket = openLiveSocket<LiveRoomMessage<CandidateRow>>(`/ws/invigilate/${room.sittingId}/${room.roomId}`, {
    onOpen: () => {
      status.textContent = tr('Live', 'Live');
      status.className = 'live-status ok';
    },
    onMessage,
    onClose: (e, final) => {
      status.className = 'live-status warn';
      status.textContent = final ? e.reason : tr('Forbindelsen er afbrudt – prøver igen…', 'Connection lost – retrying…');
    },
  });

  const heading = h('h1', {}, `${room.room} · ${room.subject}`);
  const roomButton = (text: string, onclick: (e: Event) => void, cls?: string) => h('button', { type: 'button', class: cls, onclick }, text);
  const opener = (e: Event) => e.currentTarget as HTMLElement;
  root.replaceChildren(
    h(
      'main',
      { id: 'main', class: 'live-room' },
      h(
        'div',
        { class: 'room-head' },
        h('div', {}, heading, h('p', { class: 'muted' }, `${room.school} · ${formatDateTime(room.startsAt)}`)),
        status,
        h(
          'div',
          { class: 'room-actions' },
          roomButton(tr('Ekstra tid til alle', 'Extra time for all'), (e) => openRoomDialog(room, 'extra-time', opener(e))),
          roomButton(tr('Hændelsesnotat', 'Incident note'), (e) => openRoomDialog(room, 'incident', opener(e))),
          roomButton(tr('Afslut prøven i lokalet', 'End the exam in this room'), (e) => openRoomDialog(room, 'end', opener(e)), 'danger'),
          roomButton(tr('Skift lokale', 'Change room'), onChangeRoom),
        ),
      ),
      h(
        'div',
        { class: 'room-grid' },
        h(
          'table',
          { class: 'roster', 'aria-label': tr('Elever i lokalet', 'Candidates in the room') },
          h('thead', {}, h('tr', {}, ...ROSTER_COLUMNS.map(([da, en]) => h('th', { scope: 'col' }, tr(da, en))))),
          tbody,
        ),
        h('section', { class: 'feed-box' }, h('h2', {}, tr('Hændelser', 'Events')), feed.element),
      ),
    ),
  );
  enterView(
    heading,
    tr(`Tilsyn: ${room.room} · ${room.subject}`, `Invigilation: ${room.room} · ${room.subject}`),
    tr(`Lokalet ${room.room} er åbnet: ${room.subject}, ${room.school}.`, `Room ${room.room} is open: ${room.subject}, ${room.school}.`),
  );
  return () => socket.close();
}
