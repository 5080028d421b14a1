import type { BusEvent } from '../protocol/liveEvents.ts';

/**
 * Live events between the parts of Prøvesal and across app nodes (docs/rules.md §5, §9): candidate connected,
 * saved, lockdown event, extra time… One interface, an in-process implementation for a single node and
 * a Redis one (REDIS_URL) for several. Events are notifications, never the source of truth: the database is.
 */
export type Unsubscribe = () => void;

/** Any event the bus can carry: JSON with a `type`. Prøvesal's own are BusEvent; the contract tests use others. */
export interface Typed {
  type: string;
}

export interface EventBus<E extends Typed = BusEvent> {
  publish(channel: string, event: E): Promise<void>;
  subscribe(channel: string, handler: (event: E) => void): Unsubscribe;
  close(): Promise<void>;
}

/** Channel names in one place so publishers and subscribers cannot drift apart. */
export const channels = {
  room: (sittingId: number, roomId: number) => `room:${sittingId}:${roomId}`,
  registration: (registrationId: number) => `registration:${registrationId}`,
  sitting: (sittingId: number) => `sitting:${sittingId}`,
  national: () => 'national',
};

export class InProcessBus<E extends Typed = BusEvent> implements EventBus<E> {
  private readonly handlers = new Map<string, Set<(e: E) => void>>();

  async publish(channel: string, event: E): Promise<void> {
    // Copy: a handler that unsubscribes while being called must not skip its neighbours.
    for (const h of [...(this.handlers.get(channel) ?? [])]) {
      try {
        h(event);
      } catch {
        /* one bad subscriber must not stop the others */
      }
    }
  }

  subscribe(channel: string, handler: (e: E) => void): Unsubscribe {
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    return () => {
      set!.delete(handler);
      if (!set!.size) this.handlers.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
