import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { crossOriginSocket, noSuchRoute, type AppError } from './errors.ts';
import { isOwnOrigin, type PublicOriginConfig } from './publicOrigin.ts';
import { headerOf, requestUrl, type RequestUrlConfig } from './requestUrl.ts';

/** A websocket endpoint: the first route whose path prefix matches the upgrade URL takes the socket. */
export interface UpgradeRoute {
  prefix: string;
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export type UpgradeConfig = RequestUrlConfig & PublicOriginConfig;

/**
 * Routes an upgrade to its endpoint, after refusing a cross-origin one with 403: browsers send session cookies
 * on a websocket from any page and no CORS applies, so another site could otherwise open a pupil's answer socket
 * in the pupil's name (cross-site websocket hijacking). Clients without Origin (the load generator, y-websocket
 * in Node) are not browsers, cannot carry a victim's cookies, and stay allowed.
 */
export function routeUpgrade(routes: UpgradeRoute[], req: IncomingMessage, socket: Duplex, head: Buffer, config: UpgradeConfig): void {
  const target = req.url ?? '/';
  const origin = headerOf(req.headers, 'origin');
  if (origin !== undefined && !isOwnOrigin(origin, requestUrl(target, req.headers, config), config)) {
    return refuse(socket, crossOriginSocket(), headerOf(req.headers, 'accept-language'));
  }
  const path = target.split('?')[0];
  const route = routes.find((r) => path.startsWith(r.prefix));
  if (route) return route.handle(req, socket, head);
  refuse(socket, noSuchRoute(), headerOf(req.headers, 'accept-language'));
}

/** An HTTP refusal written on the raw socket (no upgrade happens), as the same problem+json as every other error. */
function refuse(socket: Duplex, err: AppError, acceptLanguage: string | undefined): void {
  const { body, contentType } = err.problem(acceptLanguage);
  const bytes = Buffer.from(body);
  socket.end(
    `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? ''}\r\nContent-Type: ${contentType}\r\nContent-Length: ${bytes.length}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}
