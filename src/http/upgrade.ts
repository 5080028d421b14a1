import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** A websocket endpoint: the first route whose path prefix matches the upgrade URL takes the socket. */
export interface UpgradeRoute {
  prefix: string;
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export function routeUpgrade(routes: UpgradeRoute[], req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const path = (req.url ?? '/').split('?')[0];
  const route = routes.find((r) => path.startsWith(r.prefix));
  if (route) return route.handle(req, socket, head);
  socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nNo such websocket endpoint.\n');
}
