import type { AppDeps } from '../http/context.ts';
import type { Module } from '../modules.ts';
import { LiveRoomHub } from './liveRoom.ts';
import { invigilationRoutes } from './routes.ts';

/** Invigilation: the live room over websocket and the audited actions over HTTP. */
export function invigilationModule(deps: AppDeps): Module {
  const live = new LiveRoomHub(deps);
  return {
    name: 'invigilation',
    routes: [['/api/invigilation', invigilationRoutes(deps)]],
    upgrades: [live.route],
    async start() { live.start(); },
    async stop() { await live.stop(); },
  };
}
