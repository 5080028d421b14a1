import type { AppDeps } from '../http/context.ts';
import type { Module } from '../modules.ts';
import { createAnswerSync, type AnswerSync } from '../sync/module.ts';
import { AutoHandIn } from './autoHandIn.ts';
import { examRoutes, timeRoutes } from './routes.ts';

/** Sitting an exam: the candidate's HTTP routes, the answer websocket, and the automatic hand-in. */
export function examModule(deps: AppDeps): Module & { sync: AnswerSync; autoHandIn: AutoHandIn } {
  const sync = createAnswerSync(deps);
  const drain = sync.drain;
  const autoHandIn = new AutoHandIn(deps, drain);
  return {
    name: 'exam',
    sync,
    autoHandIn,
    routes: [
      ['/api/exam', examRoutes(deps, drain)],
      ['/api/time', timeRoutes(deps)],
    ],
    upgrades: sync.upgrades,
    async start() {
      sync.start();
      autoHandIn.start();
    },
    async stop() {
      await autoHandIn.stop();
      await sync.stop();
    },
  };
}
