/** What one simulated pupil counts; the generator's threads sum them (generatorWorker.ts). */
export interface TypistStats {
  sent: number;
  acked: number;
  latencies: number[];
  /** The same, for updates sent once the start storm is over (steadyFromMs). */
  steadyLatencies: number[];
  reconnects: number;
  /** Updates held back while the server had ANSWER_LIMITS.maxUnackedMessages unacknowledged, then sent merged. */
  held: number;
  errors: number;
  closes: Record<string, number>;
  /** Writer → observer latencies (ms) of relayed updates. */
  relays: number[];
  /** Wall-clock ms of the first connection attempt, and of the first sync step 1 from the server. */
  firstConnectAt: number;
  firstSyncedAt: number;
}

export function emptyStats(): TypistStats {
  return {
    sent: 0,
    acked: 0,
    latencies: [],
    steadyLatencies: [],
    reconnects: 0,
    held: 0,
    errors: 0,
    closes: {},
    relays: [],
    firstConnectAt: 0,
    firstSyncedAt: 0,
  };
}
