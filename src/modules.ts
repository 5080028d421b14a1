import { attachmentsModule } from './attachments/module.ts';
import { stopRelyingParty } from './auth/oidc/registry.ts';
import { examModule } from './exam/module.ts';
import { invigilationModule } from './invigilation/module.ts';
import { schedulingModule } from './scheduling/module.ts';
import { schoolsModule } from './schools/module.ts';
import { lockdownModule } from './lockdown/module.ts';
import type { AppDeps } from './http/context.ts';
import type { RouteMount } from './http/app.ts';
import type { UpgradeRoute } from './http/upgrade.ts';
import { submissionsModule } from './submissions/module.ts';
import { itemsModule } from './items/module.ts';
import { ItemTestReader } from './items/itemTestReader.ts';
import { createPaperVault } from './scheduling/module.ts';

/**
 * A domain's contribution to the running server: HTTP routes, websocket endpoints, and background
 * work (group-commit flusher, automatic hand-in, PDF queue) with a start and a graceful stop.
 */
export interface Module {
  name: string;
  routes?: RouteMount[];
  upgrades?: UpgradeRoute[];
  start?(): Promise<void>;
  /** Graceful stop: flush what is pending (docs/rules.md §9) before the database closes. */
  stop?(): Promise<void>;
}

/** Every domain module, in start order (stopped in reverse). */
export function buildModules(deps: AppDeps): Module[] {
  // One reader per node: the answer socket checks responses against the same opened package the pupils are served.
  const itemTests = new ItemTestReader(deps.db, createPaperVault(deps));
  const exam = examModule(deps, itemTests);
  return [
    // UNI-Login's discovery loop starts on first use; it stops with the server.
    {
      name: 'auth',
      async stop() {
        stopRelyingParty(deps);
      },
    },
    exam,
    schedulingModule(deps),
    invigilationModule(deps),
    schoolsModule(deps),
    lockdownModule(deps),
    // Receipts before PDFs: while the end-of-exam sweep hands in, the PDF workers claim nothing new.
    submissionsModule(deps, itemTests, () => exam.autoHandIn.handingIn),
    attachmentsModule(deps),
    itemsModule(deps, itemTests),
  ];
}
