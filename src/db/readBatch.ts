/**
 * How long the first key waits for company, how many keys one query reads at most, and how many such queries may
 * be on the pool at once.
 */
export interface ReadBatchLimits {
  windowMs: number;
  maxKeys: number;
  maxInFlight: number;
}

export const READ_BATCH_DEFAULTS: ReadBatchLimits = { windowMs: 3, maxKeys: 500, maxInFlight: 2 };

interface Waiter<V> {
  resolve(v: V | undefined): void;
  reject(err: unknown): void;
}

/**
 * Reads many keys with one query: the keys asked for within a few milliseconds (a start storm's sockets arrive
 * hundreds per second) go out together as one statement. While `maxInFlight` batches
 * are on the pool, new keys wait and the next batch grows, so a slow database gets fewer, bigger queries instead of
 * a queue of single-row ones. Nothing is cached: every key is read after it was asked for, never served from an
 * older read (a revoked session or a closed window is seen as fresh as with one query per key).
 */
export class ReadBatch<K, V> {
  private pending = new Map<K, Waiter<V>[]>();
  private scheduled = false;
  private inFlight = 0;

  /** @param read the rows for these keys by key; a key without a row is absent from the map. */
  constructor(
    private readonly read: (keys: K[]) => Promise<Map<K, V>>,
    private readonly limits: ReadBatchLimits = READ_BATCH_DEFAULTS,
  ) {}

  /** The row of `key`, or undefined when there is none; rejects when its batch's query failed. */
  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.limits.maxInFlight) return;
    this.scheduled = true;
    // A few milliseconds at most, once per batch: nothing next to a socket's opening, and it turns a storm's
    // trickle of arrivals (one per event-loop turn when the loop is idle) into a handful of statements.
    setTimeout(() => {
      this.scheduled = false;
      this.flush();
    }, this.limits.windowMs);
  }

  private flush(): void {
    while (this.pending.size && this.inFlight < this.limits.maxInFlight) {
      const batch = new Map<K, Waiter<V>[]>();
      for (const [k, w] of this.pending) {
        if (batch.size >= this.limits.maxKeys) break;
        batch.set(k, w);
        this.pending.delete(k);
      }
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        if (this.pending.size) this.schedule();
      });
    }
  }

  private async run(batch: Map<K, Waiter<V>[]>): Promise<void> {
    try {
      const rows = await this.read([...batch.keys()]);
      for (const [k, waiters] of batch) for (const w of waiters) w.resolve(rows.get(k));
    } catch (err) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
    }
  }
}
