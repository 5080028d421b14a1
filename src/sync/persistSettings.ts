/** Group commit: flush every `flushMs`, or at once when `maxBatch` updates wait. */
export const PERSIST = {
  flushMs: 5,
  maxBatch: 2_000,
  retryMinMs: 50,
  retryMaxMs: 2_000,
  /** Compact a document's update log into a snapshot once this many rows follow the last snapshot. */
  compactAfterUpdates: 300,
} as const;
