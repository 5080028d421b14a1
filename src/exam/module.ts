import type { AppDeps } from '../http/context.ts';
import type { Module } from '../modules.ts';
import { createAnswerSync, type AnswerSync } from '../sync/module.ts';
import { AutoHandIn } from './autoHandIn.ts';
import type { ItemTestReader } from '../items/itemTestReader.ts';
import { examRoutes, timeRoutes } from './routes.ts';

/** Sitting an exam: the candidate's HTTP routes, the answer websocket, and the automatic hand-in. */
export function examModule(deps: AppDeps, itemTests: ItemTestReader): Module & { sync: AnswerSync; autoHandIn: AutoHandIn } {
  const sync = createAnswerSync(deps, itemTests);
  const drain = sync.drain;
  const autoHandIn = new AutoHandIn(deps, drain, 1_000, itemTests);
  return {
    name: 'exam',
    sync,
    autoHandIn,
    routes: [
      ['/api/exam', examRoutes(deps, drain, itemTests)],
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
