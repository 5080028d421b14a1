import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { configKey, parseSebPlist } from './configKey.ts';

/**
 * npm run seb:key -- FILE.seb: the Config Key of a plain .seb file (XML plist; gzip-compressed, with or without
 * SEB's "plnd" prefix, or as it is). Encrypted files (prefixes pswd/pkhs/phsk) need SEB's password first.
 * The key is the last line printed.
 */
const file = process.argv[2];
if (!file) {
  console.error('usage: npm run seb:key -- FILE.seb');
  process.exit(2);
}
let bytes: Buffer = readFileSync(file);
const prefix = bytes.subarray(0, 4).toString('latin1');
if (['pswd', 'pwcc', 'pkhs', 'phsk'].includes(prefix)) {
  console.error(`${file} is encrypted (${prefix}); decrypt it with SEB's configuration tool first.`);
  process.exit(1);
}
const gunzip = (b: Buffer): Buffer => (b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b);
bytes = gunzip(bytes);
if (bytes.subarray(0, 4).toString('latin1') === 'plnd') bytes = gunzip(bytes.subarray(4));
try {
  console.log(configKey(parseSebPlist(bytes.toString('utf8'))));
} catch (err) {
  console.error(`${file} is not a plain SEB configuration: ${(err as Error).message}`);
  process.exit(1);
}
