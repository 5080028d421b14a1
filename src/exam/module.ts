import type { AppDeps } from '../http/context.ts';
import type { Module } from '../modules.ts';
import { AnswerHub } from '../sync/answerHub.ts';
import { AutoHandIn } from './autoHandIn.ts';
import { examRoutes, timeRoutes } from './routes.ts';

/** Sitting an exam: the candidate's HTTP routes, the answer websocket, and the automatic hand-in. */
export function examModule(deps: AppDeps): Module & { hub: AnswerHub; autoHandIn: AutoHandIn } {
  const hub = new AnswerHub(deps);
  const drain = () => hub.persister.drain();
  const autoHandIn = new AutoHandIn(deps, drain);
  return {
    name: 'exam',
    hub,
    autoHandIn,
    routes: [['/api/exam', examRoutes(deps, drain)], ['/api/time', timeRoutes(deps)]],
    upgrades: [hub.route],
    async start() { hub.start(); autoHandIn.start(); },
    async stop() { await autoHandIn.stop(); await hub.stop(); },
  };
}
