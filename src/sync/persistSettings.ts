/** Group commit: flush every `flushMs`, or at once when `maxBatch` updates wait; `inFlight` batches at a time. */
export const PERSIST = {
  flushMs: 5,
  maxBatch: 20_000,
  /** Batches committing at once (each its own transaction); they still resolve in order. */
  inFlight: 2,
  /** The second batch starts only while this many updates wait (a node behind); else batches commit one by one. */
  pipelineAfter: 1_000,
  retryMinMs: 50,
  retryMaxMs: 2_000,
  /** Compact a document's update log into a snapshot once this many rows follow the last snapshot. */
  compactAfterUpdates: 300,
  /** No compaction starts while this many updates wait for the group commit (half a second of 10,000 typists). */
  compactionPausesAtPending: 5_000,
} as const;
