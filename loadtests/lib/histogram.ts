/** Latencies in 1 ms buckets up to 60 s: constant memory however long the run, exact enough for p99. */
export const BUCKETS = 60_001;

export function record(h: Uint32Array, ms: number): void {
  h[Math.min(BUCKETS - 1, Math.max(0, Math.round(ms)))]++;
}

export function merge(into: Uint32Array, from: Uint32Array): void {
  for (let i = 0; i < BUCKETS; i++) into[i] += from[i];
}

export function quantile(h: Uint32Array, q: number): number {
  let total = 0;
  for (let i = 0; i < BUCKETS; i++) total += h[i];
  if (!total) return 0;
  const target = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    seen += h[i];
    if (seen >= target) return i;
  }
  return BUCKETS - 1;
}

export function count(h: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < BUCKETS; i++) n += h[i];
  return n;
}
