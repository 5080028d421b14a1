import type { AppDeps } from '../http/context.ts';
import type { ItemTestReader } from '../items/itemTestReader.ts';
import { WorkerPool } from '../workers/workerPool.ts';
import type { Module } from '../modules.ts';
import { PdfQueueRunner } from './pdfQueueRunner.ts';
import type { PdfWorkJob, PdfWorkResult } from './pdfWorker.ts';
import { submissionRoutes } from './routes.ts';
import { loadSigningIdentity, type SigningIdentity } from './signingIdentity.ts';
import { readTrustAnchors } from './trustChain.ts';

/**
 * Submissions: the graders' portal routes and the PDF queue runner (render + sign in worker threads).
 * The signing identity is loaded on first need, so building the module (tests, tools) costs nothing.
 */
export function submissionsModule(deps: AppDeps, items: ItemTestReader, receiptsFirst?: () => boolean): Module {
  let identity: SigningIdentity | null = null;
  const getIdentity = () => (identity ??= loadSigningIdentity(deps.config, deps.log));
  let runner: PdfQueueRunner | null = null;
  let anchors: string[] | null = null;
  // The grader's copy of an item test is made on request (its scores change with grading and key corrections), in
  // its own worker thread so signing never stalls the live sockets; started on first use.
  let graderPool: WorkerPool<PdfWorkJob, PdfWorkResult> | null = null;
  const graderCopy = async (job: PdfWorkJob) =>
    Buffer.from((await (graderPool ??= new WorkerPool(new URL('./pdfWorker.ts', import.meta.url), 1, { identity: getIdentity() })).run(job)).pdf);
  // Only the self-made CA of the demo is named a demo certificate; a configured P12's chain is simply not an anchor.
  const demoCa = () => (getIdentity().selfMade ? getIdentity().trustedCaPem : []);
  return {
    name: 'submissions',
    routes: [
      [
        '/api/submissions',
        submissionRoutes(deps, () => ({ anchors: (anchors ??= readTrustAnchors(deps.config.SIGNING_TRUST_ANCHORS_PATH)), demoCaPem: demoCa() }), {
          items,
          graderCopy,
        }),
      ],
    ],
    async start() {
      runner = new PdfQueueRunner(deps, {
        identity: getIdentity(),
        workers: deps.config.PDF_WORKERS,
        items,
        leaseMs: deps.config.PDF_JOB_LEASE_SECONDS * 1000,
        yieldTo: receiptsFirst,
      });
      await runner.start();
    },
    async stop() {
      await runner?.stop(Math.min(deps.config.SHUTDOWN_TIMEOUT_MS, 10_000));
      runner = null;
      await graderPool?.close();
      graderPool = null;
    },
  };
}
