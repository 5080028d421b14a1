import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The browser suite tests the built client: build it when client/dist is missing or older than a source. */
export default function setup() {
  const root = path.resolve(import.meta.dirname, '../../..');
  const dist = path.join(root, 'client/dist/index.html');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = path.join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  if (!existsSync(dist) || statSync(dist).mtimeMs < newest(path.join(root, 'client/src'))) {
    execFileSync('npm', ['run', 'build:client', '--silent'], { cwd: root, stdio: 'inherit' });
  }
}
