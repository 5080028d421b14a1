/* global process, console, setTimeout */
// Processes this CI run started and left behind: every process whose environment carries this run's
// PROVESAL_CI_RUN tag (inherited by servers, embedded PostgreSQL, vitest workers, OIDC stubs), plus any test
// server of this clone. Prints each, kills it, and exits 1 if there was one. Run with the tag unset in
// its own environment so it does not find itself. Machine services started before the tag was set
// (the machine's PostgreSQL, Redis) never carry it and are left alone.
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const [tag, clone, shellPid] = process.argv.slice(2);
const read = (f) => {
  try {
    return readFileSync(f);
  } catch {
    return null; /* the process ended while we looked */
  }
};

function scan() {
  const found = [];
  for (const pid of readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)) {
    if (pid === process.pid || pid === Number(shellPid)) continue;
    const environ = read(`/proc/${pid}/environ`);
    const cmdline = read(`/proc/${pid}/cmdline`);
    if (!environ || !cmdline) continue;
    const stat = String(read(`/proc/${pid}/stat`) ?? '');
    if (/^\d+ \(.*\) Z/.test(stat)) continue; // a zombie holds nothing
    const args = cmdline.toString().split('\0').join(' ').trim();
    const tagged = environ.toString().split('\0').includes(`PROVESAL_CI_RUN=${tag}`);
    const ourTestServer = args.includes(`${clone}/test/support/serverEntry.ts`);
    if (tagged || ourTestServer) found.push({ pid, args });
  }
  return found;
}

// Processes told to stop at the end of a suite (parent gone → graceful close) get a few seconds first.
let found = scan();
for (let i = 0; i < 20 && found.length; i++) {
  await new Promise((r) => setTimeout(r, 500));
  found = scan();
}
for (const p of found) {
  console.log(`leftover process ${p.pid}: ${p.args.slice(0, 200)}`);
  try {
    process.kill(p.pid, 'SIGKILL');
  } catch (err) {
    if (existsSync(`/proc/${p.pid}`)) console.log(`  could not kill ${p.pid}: ${err.message}`);
  }
}
console.log(found.length ? `${found.length} leftover process(es) killed` : 'no leftover processes');
process.exit(found.length ? 1 : 0);
