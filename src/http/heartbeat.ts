import type { WebSocket } from 'ws';
import { ANSWER_LIMITS } from '../protocol/limits.ts';

/** A server socket that answers pings (browsers do so by themselves). */
export type PingedSocket = WebSocket & { alive?: boolean };

/** Counts the socket alive now and at every pong. */
export function watchPongs(ws: PingedSocket): void {
  ws.alive = true;
  ws.on('pong', () => {
    ws.alive = true;
  });
}

/**
 * Pings every socket each beat and terminates one that missed the last pong, so a laptop that vanished without
 * closing (lid shut, cable pulled) is seen gone within two beats. The timer does not keep the process alive.
 */
export function startHeartbeat(sockets: () => Iterable<PingedSocket>, intervalMs = ANSWER_LIMITS.heartbeatMs): NodeJS.Timeout {
  const timer = setInterval(() => {
    for (const ws of sockets()) {
      if (ws.alive === false) {
        ws.terminate();
        continue;
      }
      ws.alive = false;
      ws.ping();
    }
  }, intervalMs);
  timer.unref();
  return timer;
}
