import { api, ApiError } from '../shell/api.ts';
import type { RenderView } from '../shell/context.ts';
import { h } from '../shell/dom.ts';
import { formatDateTime, tr } from '../shell/i18n.ts';
import { enterView } from '../shell/transition.ts';
import './invigilator.css';
import { renderLiveRoom } from './liveRoom.ts';
import type { RoomRef } from './types.ts';

const problem = (err: unknown) => (err instanceof ApiError ? err.detail : String(err));

/** The invigilator's area: pick a room, then the live room (docs/rules.md §5). */
export const renderInvigilator: RenderView = async (root) => {
  let leave: (() => void) | null = null;
  const stop = () => {
    leave?.();
    leave = null;
  };

  const live = (room: RoomRef) => {
    stop();
    leave = renderLiveRoom(root, room, () => {
      pick().catch((err: unknown) => root.replaceChildren(h('main', { id: 'main' }, h('p', { class: 'error', role: 'alert' }, problem(err)))));
    });
  };

  const pick = async () => {
    stop();
    const { rooms } = await api<{ rooms: RoomRef[] }>('/api/invigilation/rooms');
    if (rooms.length === 1) return live(rooms[0]);
    const heading = h('h1', {}, tr('Vælg lokale', 'Choose a room'));
    root.replaceChildren(
      h(
        'main',
        { id: 'main' },
        heading,
        rooms.length
          ? h(
              'ul',
              { class: 'room-list' },
              ...rooms.map((r) =>
                h(
                  'li',
                  {},
                  h('button', { type: 'button', class: 'primary', onclick: () => live(r) }, `${r.room} · ${r.subject} · ${formatDateTime(r.startsAt)}`),
                ),
              ),
            )
          : h('p', {}, tr('Du er ikke tilknyttet nogen lokaler.', 'You are not assigned to any rooms.')),
      ),
    );
    enterView(
      heading,
      tr('Vælg lokale', 'Choose a room'),
      tr(`Vælg lokale: ${rooms.length} ${rooms.length === 1 ? 'lokale' : 'lokaler'}.`, `Choose a room: ${rooms.length} room${rooms.length === 1 ? '' : 's'}.`),
    );
  };

  try {
    await pick();
  } catch (err) {
    root.replaceChildren(h('main', { id: 'main' }, h('p', { class: 'error', role: 'alert' }, problem(err))));
  }
  return stop;
};
