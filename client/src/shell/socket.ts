import { reconnectPolicy } from './backoff.ts';

/** The websocket URL of `path` on this page's origin (wss behind TLS). */
export const wsUrl = (path: string): string => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;

/**
 * Schedules reconnects by the shared policy (backoff.ts). Its owner reports each close with its code and
 * when a connection proved healthy; a final close halts it until `reset()` (e.g. after an unlock).
 */
export class Reconnector {
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private halted = false;
  private stopped = false;

  constructor(private readonly connect: () => void) {}

  /** After a close: true when a reconnect is scheduled, false when the close was final or the owner stopped. */
  closed(code: number): boolean {
    if (this.stopped || this.halted) return false;
    if (!reconnectPolicy.shouldReconnect(code)) {
      this.halted = true;
      this.cancel();
      return false;
    }
    this.schedule(reconnectPolicy.delayMs(this.attempts++));
    return true;
  }

  /** The connection works: the next failure starts again from the shortest delay. */
  succeeded(): void {
    this.attempts = 0;
  }

  /** The browser says its network is back: reconnect soon, spread, because a whole room comes back at once. */
  soon(): void {
    if (!this.stopped && !this.halted) this.schedule(reconnectPolicy.delayMs(1));
  }

  /** Allows reconnecting again after a final close the server has since lifted. */
  reset(): void {
    this.halted = false;
    this.attempts = 0;
  }

  /** For good: the owner is going away. */
  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  private schedule(delayMs: number): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delayMs);
  }

  private cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

export interface LiveSocketHandlers<M> {
  onOpen?(): void;
  onMessage(message: M): void;
  /** The connection dropped; `final` when the server refused for good and nothing more is tried. */
  onClose(event: CloseEvent, final: boolean): void;
}

/** A server-push JSON websocket (live room, national overview) that reconnects by the shared policy. */
export function openLiveSocket<M>(path: string, on: LiveSocketHandlers<M>): { close(): void } {
  let ws: WebSocket | null = null;
  const connect = () => {
    const socket = new WebSocket(wsUrl(path));
    ws = socket;
    socket.onopen = () => {
      reconnector.succeeded();
      on.onOpen?.();
    };
    socket.onmessage = (m: MessageEvent<string>) => {
      let message: M;
      try {
        message = JSON.parse(m.data) as M;
      } catch (err) {
        console.warn(`ignored a message on ${path} that is not JSON`, err);
        return;
      }
      on.onMessage(message);
    };
    socket.onclose = (e) => {
      if (ws !== socket) return; // closed by us, or replaced
      ws = null;
      on.onClose(e, !reconnector.closed(e.code));
    };
  };
  const reconnector = new Reconnector(connect);
  connect();
  return {
    close: () => {
      reconnector.stop();
      const socket = ws;
      ws = null;
      socket?.close();
    },
  };
}
