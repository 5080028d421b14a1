import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * PostgreSQL refuses to run as root, so as root the embedded server and its tools run as the `postgres`
 * system user. Every program is started through `setpriv` (util-linux), which switches to that user and
 * sets a parent-death signal: if the Node process that started PostgreSQL dies — even by SIGKILL — the
 * kernel sends PostgreSQL SIGINT (fast shutdown: in-flight transactions finish, data stays) instead of
 * leaving an orphan that holds the data directory and its port.
 */
export const isRoot = (): boolean => process.getuid?.() === 0;

const SETPRIV = '/usr/bin/setpriv';
const hasSetpriv = (): boolean => existsSync(SETPRIV);

export interface PostgresIds {
  uid: number;
  gid: number;
}

/** The `postgres` user's ids, creating that system user if it is missing (root only). */
export function postgresIds(): PostgresIds {
  const read = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  const exists = spawnSync('id', ['-u', 'postgres'], { stdio: 'ignore' }).status === 0;
  if (!exists) {
    // `useradd --system` makes no home folder and no login shell: the user only owns the cluster.
    execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'inherit' });
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'inherit' });
  }
  return read();
}

/**
 * The command line that runs `program args` as the cluster's user (postgres when we are root, else
 * ourselves), dying with its parent when `dieWithParent` (the long-running server, not initdb).
 */
export function asClusterUser(program: string, args: string[], dieWithParent: boolean): { file: string; args: string[] } {
  if (!hasSetpriv()) {
    // Without setpriv we can still switch user through spawn's uid/gid (see spawnOptions), but not
    // tie the server's life to ours; stopStaleServer then cleans up after a crash on the next start.
    return { file: program, args };
  }
  const user = isRoot() ? ['--reuid=postgres', '--regid=postgres', '--init-groups'] : [];
  const death = dieWithParent ? ['--pdeathsig', 'INT'] : [];
  return { file: SETPRIV, args: [...user, ...death, '--', program, ...args] };
}

/** spawn() options for asClusterUser's command: uid/gid only when setpriv is missing and we are root. */
export function spawnIds(): Partial<PostgresIds> {
  return isRoot() && !hasSetpriv() ? postgresIds() : {};
}

/** Whether the cluster's user can run `program args` successfully (used to test reachability for real). */
export function clusterUserCan(program: string, args: string[]): boolean {
  const cmd = asClusterUser(program, args, false);
  const r = spawnSync(cmd.file, cmd.args, { ...spawnIds(), stdio: 'ignore', timeout: 15_000 });
  return r.status === 0;
}
