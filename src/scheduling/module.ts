import type { AppDeps } from '../http/context.ts';
import type { Module } from '../modules.ts';
import { loadMasterKey, PaperVault } from './paperVault.ts';
import { NationalViewHub } from './nationalView.ts';
import { ministryRoutes, schedulingRoutes } from './routes.ts';

export function createPaperVault(deps: AppDeps): PaperVault {
  return new PaperVault(loadMasterKey(deps.config.PAPER_MASTER_KEY, deps.config.DATA_DIR, (m) => deps.log.warn(m)));
}

/** Scheduling (ministry): sittings, the sealed question paper, the national overview. */
export function schedulingModule(deps: AppDeps): Module {
  const vault = createPaperVault(deps);
  const national = new NationalViewHub(deps);
  return {
    name: 'scheduling',
    routes: [
      ['/api/sittings', schedulingRoutes(deps, vault)],
      ['/api/ministry', ministryRoutes(deps)],
    ],
    upgrades: [national.route],
    async start() {
      national.start();
    },
    async stop() {
      await national.stop();
    },
  };
}
