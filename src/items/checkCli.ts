// npm run qti:check -- <package.zip | package-folder | item.xml>
// Prints ONE JSON line (scripts parse it) and exits 1 when there are problems, 2 on a usage error.
import { readFileSync, statSync } from 'node:fs';
import { checkItemXml, checkPackageZip } from './check.ts';
import { zipDirectory } from './packageZip.ts';

const path = process.argv[2];
if (!path || process.argv.length > 3) {
  process.stderr.write('usage: npm run qti:check -- <package.zip | item.xml>\n');
  process.exit(2);
}
let report;
try {
  if (statSync(path).isDirectory()) report = checkPackageZip(zipDirectory(path), path);
  else if (path.toLowerCase().endsWith('.zip')) report = checkPackageZip(readFileSync(path), path);
  else report = checkItemXml(readFileSync(path, 'utf8'), path);
} catch (err) {
  process.stderr.write(`qti:check: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exitCode = report.problems.length > 0 ? 1 : 0;
