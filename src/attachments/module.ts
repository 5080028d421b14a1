import type { AppDeps } from '../http/context.ts';
import type { Module } from '../modules.ts';
import { attachmentRoutes } from './routes.ts';
import { createAttachmentUploads } from './uploadServer.ts';

/** How often unfinished uploads that can no longer finish are deleted (every node sweeps; deleting twice is harmless). */
const SWEEP_MS = 5 * 60_000;

/** Pupils' attachments: resumable uploads (tus) into PostgreSQL, their list, their download, and the sweeper. */
export function attachmentsModule(deps: AppDeps): Module {
  const uploads = createAttachmentUploads(deps);
  let timer: NodeJS.Timeout | null = null;
  const sweep = async () => {
    try {
      const deleted = await uploads.store.deleteExpired();
      if (deleted) deps.log.info({ deleted }, 'unfinished attachment uploads deleted');
    } catch (err) {
      deps.log.warn({ err }, 'attachment sweep failed; retried at the next interval');
    }
  };
  return {
    name: 'attachments',
    routes: [['/api/attachments', attachmentRoutes(deps, uploads)]],
    async start() {
      timer = setInterval(() => void sweep(), SWEEP_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
