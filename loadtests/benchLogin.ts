/**
 * Login storm benchmark (issue: foundation, acceptance 5): N users log in at once against a real server
 * whose event loop is sampled meanwhile. bcrypt runs in the password worker pool, so the loop must
 * stay responsive. Clients run in a worker thread so their own work does not count against the server.
 *
 *   npm run bench:login -- --logins 200
 * Final line: {"logins":N,"loginsPerSec":x,"maxEventLoopDelayMs":x, …}
 */
import bcrypt from 'bcryptjs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createLogger } from '../src/monitoring/logger.ts';
import { loadConfig } from '../src/config.ts';
import { startServer } from '../src/server.ts';
import { freshBenchDatabase, parseFlags, percentile } from './lib/benchDatabase.ts';

const flags = parseFlags(process.argv.slice(2), { logins: 200, cost: 10 });
const n = Number(flags.logins);
const database = await freshBenchDatabase();
const server = await startServer(
  loadConfig({ ...process.env, DATABASE_URL: database.url, DEMO: '0', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', BCRYPT_COST: String(flags.cost) }),
  createLogger('warn'),
);

const hash = bcrypt.hashSync('bench-password', Number(flags.cost));
await server.deps.db.query(
  `INSERT INTO users (username, display_name, role, password_hash)
   SELECT 'bench' || g, 'Bench ' || g, 'grader', $1 FROM generate_series(1, $2::int) g`,
  [hash, n],
);
console.log(`seeded ${n} users; storming ${server.url} …`);

const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const started = performance.now();
const client = new Worker(
  `
  const { parentPort, workerData } = require('node:worker_threads');
  (async () => {
    const times = [];
    let failed = 0;
    await Promise.all(Array.from({ length: workerData.n }, async (_, i) => {
      const t0 = performance.now();
      const res = await fetch(workerData.url + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'bench' + (i + 1), password: 'bench-password' }) }).catch(() => null);
      if (!res || res.status !== 200) failed++;
      times.push(performance.now() - t0);
    }));
    parentPort.postMessage({ times, failed });
  })();`,
  { eval: true, workerData: { n, url: server.url } },
);
const result: { times: number[]; failed: number } = await new Promise((resolve) => client.once('message', resolve));
const seconds = (performance.now() - started) / 1000;
loop.disable();
await client.terminate();
await server.close();
await database.drop();

const sorted = result.times.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    logins: n - result.failed,
    failed: result.failed,
    seconds: +seconds.toFixed(2),
    loginsPerSec: +((n - result.failed) / seconds).toFixed(1),
    loginP50Ms: Math.round(percentile(sorted, 50)),
    loginP99Ms: Math.round(percentile(sorted, 99)),
    maxEventLoopDelayMs: +(loop.max / 1e6).toFixed(1),
    p99EventLoopDelayMs: +(loop.percentile(99) / 1e6).toFixed(1),
    bcryptCost: Number(flags.cost),
  }),
);
process.exit(result.failed ? 1 : 0);
