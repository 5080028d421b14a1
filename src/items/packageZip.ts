// Zips a package folder with fflate, for tests, the demo and authors checking a folder before upload.
import { zipSync, type Zippable } from 'fflate';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** All files under `dir`, with "/"-separated names relative to it, sorted so the ZIP is reproducible. */
export function zipDirectory(dir: string): Uint8Array {
  const files: Zippable = {};
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files[relative(dir, full).split(sep).join('/')] = [readFileSync(full), { mtime: new Date('2027-01-01T00:00:00Z') }];
    }
  };
  walk(dir);
  return zipSync(files, { level: 6 });
}
