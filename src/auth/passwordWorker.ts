import bcrypt from 'bcryptjs';
import { parentPort } from 'node:worker_threads';

export type PasswordJob = { op: 'hash'; password: string; cost: number } | { op: 'compare'; password: string; hash: string };

parentPort!.on('message', (job: PasswordJob) => {
  try {
    const value = job.op === 'hash' ? bcrypt.hashSync(job.password, job.cost) : bcrypt.compareSync(job.password, job.hash);
    parentPort!.postMessage({ ok: true, value });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: (err as Error).message });
  }
});
