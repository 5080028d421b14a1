import type { AppDeps } from '../http/context.ts';
import type { Module } from '../modules.ts';
import { LiveRoomHub } from './liveRoom.ts';
import { invigilationRoutes } from './routes.ts';

/**
 * Invigilation (docs/rules.md §5): the live room over websocket and the audited actions over HTTP.
 *
 * Presence — who is connected since when — is written by sync into `presence` (migration 002): the node
 * that holds a pupil's answer socket is the only one that knows, so it upserts on connect/disconnect/save
 * and heartbeats its rows every 5 s. This module only reads it: the snapshot for a viewer who arrives late,
 * and every 5 s a check for rows whose node stopped heartbeating (SIGKILL, power loss) so those pupils show
 * as disconnected since their last heartbeat. Deltas come from the bus (Redis across nodes). A second
 * presence table fed from bus events was rejected: pub/sub is at-most-once, so it would drift from the truth.
 */
export function invigilationModule(deps: AppDeps): Module {
  const live = new LiveRoomHub(deps);
  return {
    name: 'invigilation',
    routes: [['/api/invigilation', invigilationRoutes(deps)]],
    upgrades: [live.route],
    async start() {
      live.start();
    },
    async stop() {
      await live.stop();
    },
  };
}
