// npm run qti:zip -- <package-folder> <out.zip>: builds an upload from a folder such as the demo.
import { writeFileSync } from 'node:fs';
import { zipDirectory } from './packageZip.ts';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) {
  process.stderr.write('usage: npm run qti:zip -- <package-folder> <out.zip>\n');
  process.exit(2);
}
writeFileSync(out, zipDirectory(dir));
