import type { AppDeps } from '../http/context.ts';
import type { Module } from '../modules.ts';
import { createPaperVault } from '../scheduling/module.ts';
import { ItemTestReader } from './itemTestReader.ts';
import { itemGradingRoutes } from './gradingRoutes.ts';
import { itemRoutes } from './routes.ts';

/** Item tests in QTI 3.0 (docs/rules.md §14): the sealed package, its release, scoring and results. */
export function itemsModule(deps: AppDeps, reader: ItemTestReader): Module {
  const vault = createPaperVault(deps);
  return {
    name: 'items',
    routes: [
      ['/api/sittings', itemRoutes(deps, vault, reader)],
      ['/api/sittings', itemGradingRoutes(deps, reader)],
    ],
  };
}
