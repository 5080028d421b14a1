import { Reconnector, wsUrl } from '../shell/socket.ts';
import { deviceId } from './answerProvider.ts';

/**
 * Keeps the lobby's presence socket open while the pupil waits (docs/protocol.md), so the invigilator's live room
 * shows them present and connected before the start. Nothing is sent or read on it; the browser answers the
 * server's pings by itself. Reconnects by the shared policy after a network blip; a refusal (44xx) ends it.
 * Returns the function that closes it when the lobby gives way to the exam.
 */
export function holdLobbyPresence(registrationId: number): () => void {
  let ws: WebSocket | null = null;
  const connect = () => {
    const socket = new WebSocket(wsUrl(`/ws/lobby/${registrationId}?device=${encodeURIComponent(deviceId())}`));
    ws = socket;
    socket.onopen = () => reconnector.succeeded();
    socket.onclose = (e) => {
      if (ws !== socket) return;
      ws = null;
      reconnector.closed(e.code);
    };
  };
  const reconnector = new Reconnector(connect);
  const online = () => {
    if (!ws) reconnector.soon();
  };
  window.addEventListener('online', online);
  connect();
  return () => {
    window.removeEventListener('online', online);
    reconnector.stop();
    const socket = ws;
    ws = null;
    socket?.close();
  };
}
