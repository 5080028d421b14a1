import type { LiveRoomMessage, RoomEvent } from '../../../src/protocol/liveEvents.ts';
import { announce, h } from '../shell/dom.ts';
import { formatDateTime, formatTime, tr } from '../shell/i18n.ts';
import { openLiveSocket } from '../shell/socket.ts';
import { openActionDialog, openRoomDialog } from './actions.ts';
import { isDone, lockdownLabel, renderRow, ROSTER_COLUMNS } from './roster.ts';
import type { CandidateRow, RoomRef } from './types.ts';

/** Entries kept in the event feed; older ones fall off the end. */
const FEED_LENGTH = 50;

/**
 * The live room (docs/rules.md §5): pushed, never polled. The server sends a snapshot, then room events as
 * they happen and a fresh row whenever a registration changed. Returns the function that leaves the room.
 */
export function renderLiveRoom(root: HTMLElement, room: RoomRef, onChangeRoom: () => void): () => void {
  const rows = new Map<number, CandidateRow>();
  const tbody = h('tbody');
  const status = h('p', { class: 'live-status', role: 'status' });
  const feed = h('ol', { class: 'feed', 'aria-label': tr('Hændelser', 'Events') });

  const render = () => tbody.replaceChildren(...[...rows.values()].map((c) => renderRow(c, (row) => openActionDialog(row))));
  const log = (text: string, urgent = false) => {
    feed.prepend(h('li', { class: urgent ? 'urgent' : '' }, `${formatTime(Date.now())} ${text}`));
    while (feed.children.length > FEED_LENGTH) feed.lastChild?.remove();
    if (urgent) announce(text);
  };
  const who = (c: CandidateRow) => `${c.examNumber} ${c.name}`;

  /** Applies one room event to its row; true when the table must be drawn again. */
  const apply = (e: RoomEvent): boolean => {
    if (e.type === 'incident') {
      log(tr(`Hændelsesnotat: ${e.note}`, `Incident note: ${e.note}`));
      return false;
    }
    const c = rows.get(e.registrationId);
    if (!c) return false;
    switch (e.type) {
      case 'candidate.connected':
        c.connected = true;
        c.presenceSince = e.at;
        log(tr(`${who(c)} forbundet`, `${who(c)} connected`));
        return true;
      case 'candidate.disconnected': {
        c.connected = false;
        c.presenceSince = e.at;
        // A node that stopped heartbeating is announced by the live room itself (roomFeed.ts) with this reason.
        const nodeLost = 'reason' in e && e.reason === 'node-lost';
        const why = nodeLost ? tr(' (serveren svarer ikke)', ' (server not responding)') : '';
        // Closing the page after the hand-in is the normal end of the exam, not an alarm.
        if (isDone(c.state)) log(tr(`${who(c)} har lukket siden`, `${who(c)} closed the page`));
        else log(tr(`${who(c)} har mistet forbindelsen${why}`, `${who(c)} disconnected${why}`), true);
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
        log(`${who(c)}: ${lockdownLabel(e.eventType)}`, true);
        return true;
    }
  };

  const onMessage = (m: LiveRoomMessage<CandidateRow>) => {
    switch (m.type) {
      case 'snapshot':
        rows.clear();
        for (const c of m.candidates) rows.set(c.registrationId, c);
        return render();
      case 'candidate':
        rows.set(m.candidate.registrationId, m.candidate);
        return render();
      case 'event':
        if (apply(m.event)) render();
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

  root.replaceChildren(
    h(
      'main',
      { id: 'main', class: 'live-room' },
      h(
        'div',
        { class: 'room-head' },
        h('div', {}, h('h1', {}, `${room.room} · ${room.subject}`), h('p', { class: 'muted' }, `${room.school} · ${formatDateTime(room.startsAt)}`)),
        status,
        h(
          'div',
          { class: 'room-actions' },
          h('button', { type: 'button', onclick: () => openRoomDialog(room, 'extra-time') }, tr('Ekstra tid til alle', 'Extra time for all')),
          h('button', { type: 'button', onclick: () => openRoomDialog(room, 'incident') }, tr('Hændelsesnotat', 'Incident note')),
          h(
            'button',
            { type: 'button', class: 'danger', onclick: () => openRoomDialog(room, 'end') },
            tr('Afslut prøven i lokalet', 'End the exam in this room'),
          ),
          h('button', { type: 'button', onclick: onChangeRoom }, tr('Skift lokale', 'Change room')),
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
        h('section', { class: 'feed-box' }, h('h2', {}, tr('Hændelser', 'Events')), feed),
      ),
    ),
  );
  return () => socket.close();
}
