/**
 * The fault matrix (docs/rules.md §10: nothing acknowledged as saved is ever lost): each scenario runs pupils typing
 * through real app nodes (child processes on 127.0.0.1) against the machine's PostgreSQL (DATABASE_URL, a
 * fresh database per scenario) or an embedded one, and Redis at 127.0.0.1:6379 where two nodes need it,
 * injects its fault, then compares every stored answer with what its pupil typed. One JSON line per
 * scenario; exit status 1 if any scenario lost or left incomplete a single answer.
 *
 *   npm run faults [-- --short] [--only server-sigkill,pg-refuse] [--pupils 200] [--typing-seconds 90]
 *                  [--network-minutes 10] [--redis-seconds 30] [--pg-refuse-seconds 10] [--fault-at-seconds 30]
 */
import { parseFlags } from './lib/benchDatabase.ts';
import { runScenario, SCENARIOS, type Timing } from './faults/scenarios.ts';

const argv = process.argv.slice(2);
const short = argv.includes('--short');
if (argv.includes('--exit-with-stdin')) {
  // Run by the test suite: when the test process dies, our stdin closes and we go (our nodes with us).
  process.stdin.on('end', () => {
    console.error('faults: parent gone, stopping');
    process.exit(1);
  });
  process.stdin.resume();
}
const f = parseFlags(
  argv.filter((a) => a !== '--short' && a !== '--exit-with-stdin'),
  {
    only: '',
    pupils: 200,
    'typing-seconds': short ? 15 : 90,
    'fault-at-seconds': short ? 5 : 30,
    'network-minutes': short ? 20 / 60 : 10,
    'redis-seconds': short ? 8 : 30,
    'pg-refuse-seconds': 10,
  },
);
const timing: Timing = {
  pupils: Number(f.pupils),
  typingSeconds: Number(f['typing-seconds']),
  faultAtSeconds: Number(f['fault-at-seconds']),
  networkSeconds: Math.round(Number(f['network-minutes']) * 60),
  redisDownSeconds: Number(f['redis-seconds']),
  pgRefuseSeconds: Number(f['pg-refuse-seconds']),
};
const names = f.only ? String(f.only).split(',') : Object.keys(SCENARIOS);
const unknown = names.filter((n) => !SCENARIOS[n]);
if (unknown.length) {
  console.error(`Unknown scenario(s): ${unknown.join(', ')}. Known: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}

console.error(`faults: ${names.length} scenario(s), ${timing.pupils} pupils, ${JSON.stringify(timing)}`);
let failed = 0;
for (const name of names) {
  try {
    const r = await runScenario(name, timing);
    if (!r.ok) failed++;
    console.log(JSON.stringify(r));
  } catch (err) {
    failed++;
    console.log(JSON.stringify({ scenario: name, ok: false, error: (err as Error).stack ?? String(err) }));
  }
}
process.exit(failed ? 1 : 0);
