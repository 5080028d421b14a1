import { Worker, type TransferListItem } from 'node:worker_threads';

interface Job<I, O> {
  input: I;
  transfer?: readonly TransferListItem[];
  resolve: (o: O) => void;
  reject: (e: Error) => void;
}

const BOOT = new URL('./boot.mjs', import.meta.url);

/**
 * A fixed pool of worker threads with one FIFO queue: first come, first served, so a storm is
 * served fairly and a caller can be told its place in line. Workers answer `{ ok, value | error }`.
 */
export class WorkerPool<I, O> {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job<I, O>>();
  private readonly queue: Job<I, O>[] = [];
  private closed = false;

  constructor(
    private readonly entry: URL,
    size: number,
    private readonly data: Record<string, unknown> = {},
  ) {
    for (let i = 0; i < size; i++) this.spawn();
  }

  /** Jobs waiting for a worker (not counting those running). */
  get waiting(): number {
    return this.queue.length;
  }
  get running(): number {
    return this.busy.size;
  }

  /** Queues a job; `transfer` moves (never copies) what it lists, such as a MessagePort, to the worker. */
  run(input: I, transfer?: readonly TransferListItem[]): Promise<O> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, transfer, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('worker pool is closed'));
    await Promise.all([...this.idle, ...this.busy.keys()].map((w) => w.terminate()));
  }

  private spawn(): void {
    const worker = new Worker(BOOT, { workerData: { entry: this.entry.href, ...this.data } });
    worker.unref();
    worker.on('message', (msg: { ok: boolean; value?: O; error?: string }) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      this.idle.push(worker);
      if (job && msg.ok) job.resolve(msg.value as O);
      else if (job) job.reject(new Error(msg.error));
      this.dispatch();
    });
    worker.on('error', (err) => {
      // A crashed worker fails only its own job; a fresh one takes its place.
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      job?.reject(err);
      if (!this.closed) {
        this.spawn();
        this.dispatch();
      }
    });
    this.idle.push(worker);
  }

  private dispatch(): void {
    while (this.idle.length && this.queue.length) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      worker.postMessage(job.input, job.transfer);
    }
  }
}
