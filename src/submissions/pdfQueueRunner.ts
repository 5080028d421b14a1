import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import type pg from 'pg';
import { readAttachment } from '../attachments/attachmentBytes.ts';
import type { AppDeps } from '../http/context.ts';
import type { ItemTestReader } from '../items/itemTestReader.ts';
import { WorkerPool } from '../workers/workerPool.ts';
import { serveAttachments } from './attachmentPort.ts';
import { loadPdfInput } from './pdfInput.ts';
import type { SubmissionPdfInput } from './pdfRenderer.ts';
import type { PdfWorkJob, PdfWorkResult } from './pdfWorker.ts';
import { claimPdfJobs, completePdfJob, failPdfJob, PDF_JOBS_CHANNEL, releasePdfJobs, type ClaimedJob } from './queue.ts';
import type { SigningIdentity } from './signingIdentity.ts';

export interface RunnerOptions {
  identity: SigningIdentity;
  workers: number;
  /** A job held longer than this by one runner is taken to be orphaned (its process died) and re-run. */
  leaseMs?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  /** Fallback poll when no NOTIFY arrives (backoff expiry, lease expiry, a missed notification). */
  pollMs?: number;
  runnerId?: string;
  /** Opens item tests' packages, so their PDFs list every item (docs/rules.md §14.8). */
  items?: Pick<ItemTestReader, 'open'>;
  /**
   * True while receipts are being issued in bulk (the automatic hand-in at the end of an exam): no new job is claimed
   * then, so the receipts get the cores; the poll picks the queue up again within `pollMs` after.
   */
  yieldTo?: () => boolean;
}

/**
 * Drains the durable PDF queue: the main thread claims jobs (never more than free worker threads),
 * reads their input and writes results; rendering and signing happen in the WorkerPool.
 */
export class PdfQueueRunner {
  readonly runnerId: string;
  private readonly pool: WorkerPool<PdfWorkJob, PdfWorkResult>;
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly released = new Set<number>();
  private listener: pg.PoolClient | null = null;
  private timer: NodeJS.Timeout | null = null;
  private claiming: Promise<void> | null = null;
  private again = false;
  private stopping = false;
  private readonly o: Required<Omit<RunnerOptions, 'identity' | 'runnerId' | 'items' | 'yieldTo'>>;
  private readonly items: RunnerOptions['items'];
  private readonly yieldTo: RunnerOptions['yieldTo'];

  constructor(
    private readonly deps: AppDeps,
    options: RunnerOptions,
  ) {
    this.o = {
      workers: options.workers,
      leaseMs: options.leaseMs ?? 120_000,
      maxAttempts: options.maxAttempts ?? 5,
      backoffBaseMs: options.backoffBaseMs ?? 5_000,
      pollMs: options.pollMs ?? 1_000,
    };
    this.items = options.items;
    this.yieldTo = options.yieldTo;
    this.runnerId = options.runnerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.pool = new WorkerPool(new URL('./pdfWorker.ts', import.meta.url), options.workers, { identity: options.identity });
  }

  /** LISTEN for new jobs and poll as a fallback; picks up what is already waiting at once. */
  async start(): Promise<void> {
    try {
      this.listener = await this.deps.db.connect();
      this.listener.on('notification', () => this.kick());
      this.listener.on('error', (err) => this.deps.log.warn({ err }, 'PDF queue listener lost; polling continues'));
      await this.listener.query(`LISTEN ${PDF_JOBS_CHANNEL}`);
    } catch (err) {
      this.deps.log.warn({ err }, 'PDF queue LISTEN failed; polling only');
    }
    this.timer = setInterval(() => this.kick(), this.o.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Jobs this runner is rendering right now. */
  get running(): number {
    return this.inFlight.size;
  }

  /** Claims and runs jobs until none is ready (tests and one-shot tools; start() does this continuously). */
  async drain(): Promise<void> {
    for (;;) {
      await this.fill();
      if (!this.inFlight.size) return;
      await Promise.race(this.inFlight.values());
    }
  }

  /** Graceful stop: let running jobs finish within `graceMs`, give the rest back to the queue. */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    if (this.listener) {
      // A listener whose connection already died has nothing to unlisten; it is released (and replaced) either way.
      await this.listener.query(`UNLISTEN ${PDF_JOBS_CHANNEL}`).catch(() => {
        /* see above */
      });
      this.listener.release();
      this.listener = null;
    }
    const settled = Promise.allSettled(this.inFlight.values());
    await Promise.race([settled, new Promise((r) => setTimeout(r, graceMs).unref())]);
    const left = [...this.inFlight.keys()];
    left.forEach((id) => this.released.add(id));
    const n = await releasePdfJobs(this.deps.db, this.runnerId, left).catch(() => 0);
    if (n) this.deps.log.info({ jobs: n }, 'PDF jobs returned to the queue on shutdown');
    await this.pool.close();
  }

  private kick(): void {
    if (this.stopping) return;
    this.fill().catch((err) => this.deps.log.error({ err }, 'PDF queue claim failed'));
  }

  /** One claim loop at a time; a kick during a claim makes it go round once more. */
  private fill(): Promise<void> {
    if (this.claiming) {
      this.again = true;
      return this.claiming;
    }
    // Checked before the async body starts: a body that returned without awaiting would clear
    // `claiming` before it is assigned, leaving a settled promise that blocks every later claim.
    if (this.o.workers - this.inFlight.size <= 0 || this.stopping || this.yieldTo?.()) return Promise.resolve();
    this.claiming = (async () => {
      try {
        do {
          this.again = false;
          const free = this.o.workers - this.inFlight.size;
          if (free <= 0 || this.stopping || this.yieldTo?.()) return;
          const jobs = await claimPdfJobs(this.deps.db, { runnerId: this.runnerId, limit: free, now: this.deps.now(), leaseMs: this.o.leaseMs });
          for (const job of jobs) {
            this.inFlight.set(
              job.id,
              this.run(job).finally(() => {
                this.inFlight.delete(job.id);
                this.kick();
              }),
            );
          }
        } while (this.again);
      } finally {
        this.claiming = null;
      }
    })();
    return this.claiming;
  }

  /** Renders in a worker; a submission with attachments gets a port on which the worker asks for their bytes. */
  private async renderWithAttachments(input: SubmissionPdfInput, signedAt: Date): Promise<PdfWorkResult> {
    const list = input.attachments ?? [];
    if (!list.length) return this.pool.run({ input, signingTime: signedAt.toISOString() });
    const { port1, port2 } = new MessageChannel();
    serveAttachments(port1, list, (a) => readAttachment(this.deps.db, a.id, a.size));
    try {
      return await this.pool.run({ input, signingTime: signedAt.toISOString(), port: port2 }, [port2]);
    } finally {
      port1.close();
    }
  }

  private async run(job: ClaimedJob): Promise<void> {
    const { db, log } = this.deps;
    try {
      const input = await loadPdfInput(db, job.submissionId, this.items);
      if (!input) throw new Error(`submission ${job.submissionId} not found`);
      const signedAt = this.deps.now();
      const out = await this.renderWithAttachments(input, signedAt);
      const produced = await completePdfJob(db, job, Buffer.from(out.pdf), out.sha256, signedAt);
      if (!produced) log.info({ job: job.id, submission: job.submissionId }, 'PDF already stored by another runner; kept the first');
    } catch (err) {
      if (this.released.has(job.id)) return; // returned to the queue on shutdown
      const error = (err as Error).message || String(err);
      const outcome = await failPdfJob(db, job, {
        runnerId: this.runnerId,
        error,
        now: this.deps.now(),
        maxAttempts: this.o.maxAttempts,
        backoffBaseMs: this.o.backoffBaseMs,
      }).catch((e) => {
        log.error({ err: e }, 'could not record PDF job failure');
        return 'lost' as const;
      });
      if (outcome === 'failed')
        log.error({ job: job.id, submission: job.submissionId, attempts: job.attempts, error }, 'PDF job failed for good; it stays visible in the backlog');
      else log.warn({ job: job.id, submission: job.submissionId, attempts: job.attempts, error, outcome }, 'PDF job attempt failed');
    }
  }
}
