// npm run qti:score -- <item.xml> '<responses JSON>'
// Prints {"score":x,"maxScore":y} (plus "manual":true for an item a person grades); exit 2 on any error.
import { readFileSync } from 'node:fs';
import { parseItem } from './itemParser.ts';
import type { RawResponses } from './responses.ts';
import { scoreItem } from './scorer.ts';

function die(message: string): never {
  process.stderr.write(`qti:score: ${message}\n`);
  process.exit(2);
}

const [file, json] = process.argv.slice(2);
if (!file || json === undefined || process.argv.length > 4) die("usage: npm run qti:score -- <item.xml> '<responses JSON>'");
let text: string;
try {
  text = readFileSync(file, 'utf8');
} catch (err) {
  die(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
}
const { item, problems } = parseItem(text, file);
if (!item) die(problems.map((p) => `${p.file}:${p.line ?? '-'}: ${p.message}`).join('\n'));
let responses: RawResponses;
try {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected an object');
  responses = parsed as RawResponses;
} catch (err) {
  die(`responses are not a JSON object: ${err instanceof Error ? err.message : String(err)}`);
}
try {
  const { score, maxScore, manual } = scoreItem(item, responses);
  process.stdout.write(`${JSON.stringify(manual ? { score, maxScore, manual } : { score, maxScore })}\n`);
} catch (err) {
  die(err instanceof Error ? err.message : String(err));
}
