// A generator thread whose clock is off (npm run faults, scenario clock-skew): Date.now() and new Date()
// in this thread read the server's time plus clockOffsetMs, like a pupil's PC with a wrong clock. The
// schedule handed over in the server's time is converted to this clock, as a device would compute it;
// the server decides the exam window by its own clock, so every update must still count.
import { workerData } from 'node:worker_threads';

const offset = Number((workerData as { clockOffsetMs: number }).clockOffsetMs);
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
class SkewedDate extends RealDate {
  constructor(...args: unknown[]) {
    super(...((args.length ? args : [realNow() + offset]) as [number]));
  }
  static now(): number {
    return realNow() + offset;
  }
}
globalThis.Date = SkewedDate as DateConstructor;
const plan = workerData as { startsAtMs: number; typingEndsAtMs: number };
plan.startsAtMs += offset;
plan.typingEndsAtMs += offset;
await import('./generatorWorker.ts');
