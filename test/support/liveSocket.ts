import WebSocket from 'ws';

/** A candidate row of the live room (src/invigilation/rosterView.ts), with the fields the tests read. */
export interface LiveRow {
  registrationId: number;
  endsAt: string;
  extraMinutes: number;
  connected: boolean;
  [field: string]: unknown;
}
/** A room event as pushed (src/protocol/liveEvents.ts RoomEvent), read by field name. */
export interface LiveEvent {
  type: string;
  registrationId: number;
  at: string;
  reason?: string;
  words?: number;
  eventType?: string;
  durationMs?: number | null;
}
/** Any message of the live-room or national socket; the exact unions live in src/protocol/liveEvents.ts. */
export interface LiveMessage {
  type: string;
  event?: LiveEvent;
  candidates?: LiveRow[];
  candidate?: LiveRow;
  total?: Record<string, number>;
  schools?: Record<string, number>[];
}

/** A JSON websocket (live room, national view) that records every message, its pings and its close code. */
export function openLiveSocket(url: string, cookie?: string) {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers: cookie ? { cookie } : {} });
  const messages: LiveMessage[] = [];
  let pings = 0;
  ws.on('message', (d) => messages.push(JSON.parse(String(d)) as LiveMessage));
  ws.on('ping', () => pings++);
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return {
    ws,
    messages,
    closed,
    pings: () => pings,
    snapshot: () => messages.find((m) => m.type === 'snapshot'),
    /** Every pushed event of that type for that registration, in arrival order. */
    events: (type: string, registrationId: number) =>
      messages.flatMap((m) => (m.event?.type === type && m.event.registrationId === registrationId ? [m.event] : [])),
  };
}
export type LiveSocket = ReturnType<typeof openLiveSocket>;
