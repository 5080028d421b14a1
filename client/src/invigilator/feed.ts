import type { RoomEvent } from '../../../src/protocol/liveEvents.ts';
import { announce, h } from '../shell/dom.ts';
import { formatTime, tr } from '../shell/i18n.ts';
import { lockdownLabel } from './roster.ts';

/** Entries kept in the event feed; older ones fall off the end (the server replays as many). */
const FEED_LENGTH = 50;

type Text = [da: string, en: string];

/** What an invigilator's action or a lock changed (`candidate.changed`'s `what`), as the feed says it. */
const CHANGES: Record<string, Text> = {
  extra_time: ['har fået ekstra tid', 'was given extra time'],
  pause: ['er sat på pause', 'was paused'],
  resume: ['er genoptaget', 'was resumed'],
  access_code: ['har fået en engangskode', 'was given a one-time code'],
  device_switch_allowed: ['må skifte enhed', 'may switch device'],
  device_switched: ['har skiftet enhed', 'switched device'],
  marked_absent: ['er meldt fraværende', 'was marked absent'],
  marked_ill: ['er meldt syg', 'was marked ill'],
  marked_present: ['er ikke længere meldt fraværende', 'is no longer marked absent'],
  reopen: ['har fået afleveringen genåbnet', 'had the hand-in reopened'],
  end_room: ['har fået prøven afsluttet', 'had the exam ended'],
  locked: ['er låst', 'was locked'],
  unlocked: ['er låst op', 'was unlocked'],
};

const STATES: Record<string, Text> = {
  handed_in: ['har afleveret', 'handed in'],
  absent: ['er fraværende', 'is absent'],
  ill: ['er syg', 'is ill'],
};

/**
 * The feed's sentence for a stored room event (src/events/roomEventLog.ts says which are stored), and whether it
 * is urgent (said at once to a screen reader). Null for events the feed does not record.
 */
export function feedEntry(e: RoomEvent, who: (registrationId: number) => string): { text: string; urgent: boolean } | null {
  switch (e.type) {
    case 'incident':
      return { text: tr(`Hændelsesnotat: ${e.note}`, `Incident note: ${e.note}`), urgent: false };
    case 'lockdown':
      return { text: `${who(e.registrationId)}: ${lockdownLabel(e.eventType)}`, urgent: true };
    case 'candidate.changed': {
      const [da, en] = CHANGES[e.what] ?? [`ændret (${e.what})`, `changed (${e.what})`];
      return { text: tr(`${who(e.registrationId)} ${da}`, `${who(e.registrationId)} ${en}`), urgent: e.what === 'locked' };
    }
    case 'candidate.state': {
      const s = STATES[e.state];
      return s ? { text: tr(`${who(e.registrationId)} ${s[0]}`, `${who(e.registrationId)} ${s[1]}`), urgent: false } : null;
    }
    default:
      return null;
  }
}

/**
 * The live room's event feed, newest first. Entries are placed by the time they happened, so the replay of
 * stored events on opening the room and live ones interleave correctly; a stored event (with `seq`) is shown once.
 */
export class Feed {
  readonly element = h('ol', { class: 'feed', 'aria-label': tr('Hændelser', 'Events') });
  private readonly seen = new Set<number>();

  /** Adds an entry dated `at`; `urgent` also says it through the live region (not for a replay). */
  add(text: string, at: string | number, o: { urgent?: boolean; seq?: number; replay?: boolean } = {}): void {
    if (o.seq !== undefined) {
      if (this.seen.has(o.seq)) return;
      this.seen.add(o.seq);
    }
    const t = new Date(at).getTime();
    const li = h('li', { class: o.urgent ? 'urgent' : '', 'data-at': String(t) }, `${formatTime(t)} ${text}`);
    const after = [...this.element.children].find((c) => Number((c as HTMLElement).dataset.at) < t);
    this.element.insertBefore(li, after ?? null);
    while (this.element.children.length > FEED_LENGTH) this.element.lastChild?.remove();
    if (o.urgent && !o.replay) announce(text);
  }
}
