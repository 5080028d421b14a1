import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listHandedIn } from '../attachments/queries.ts';
import { loadConfig } from '../config.ts';
import { createPool, type Db } from '../db/pool.ts';
import { checkAgainstReceipt, embeddedFilesOf } from './embeddedFiles.ts';
import { uniqueNames } from './pdfAttachments.ts';
import { submissionOfPdf } from './queries.ts';
import { verifyPdf } from './verifier.ts';

/**
 * `npm run verify -- file.pdf [--ca ca.pem]`: checks a submission PDF's signature and lists its embedded attachments
 * with their SHA-256. With DATABASE_URL it also checks them against the stored receipt. Trusts the service's own CA
 * under DATA_DIR/signing/ when present. Exit 0 valid, 1 invalid (or an attachment not as on the receipt), 2 usage error.
 */
const args = process.argv.slice(2);
const caFlag = args.indexOf('--ca');
const caFiles = caFlag >= 0 ? [args.splice(caFlag, 2)[1]] : [];
const json = args.includes('--json');
const files = args.filter((a) => !a.startsWith('--'));
if (!files.length) {
  console.error('Brug / usage: npm run verify -- besvarelse.pdf [--ca ca.pem] [--json]');
  process.exit(2);
}
let dataDir = './data';
try {
  dataDir = loadConfig().DATA_DIR;
} catch {
  /* verification needs no valid server configuration */
}
const ownCa = path.resolve(dataDir, 'signing', 'ca.pem');
if (existsSync(ownCa)) caFiles.push(ownCa);
const trusted = caFiles.map((f) => readFileSync(f, 'utf8'));

const OUTCOME = {
  match: 'stemmer med kvitteringen / matches the receipt',
  mismatch: 'AFVIGER fra kvitteringen / DOES NOT MATCH the receipt',
  missing: 'MANGLER i PDF’en / MISSING from the PDF',
  extra: 'IKKE på kvitteringen / NOT on the receipt',
} as const;

const db: Db | null = process.env.DATABASE_URL ? createPool(process.env.DATABASE_URL, 1) : null;

/** The file's attachments against the receipt stored for it; null when there is no database or no such submission. */
async function receiptCheck(pdf: Buffer, result: ReturnType<typeof verifyPdf>, embedded: ReturnType<typeof embeddedFilesOf>) {
  if (!db) return null;
  const pdfSha256 = createHash('sha256').update(pdf).digest('hex');
  const s = await submissionOfPdf(db, { pdfSha256, examNumber: result.examNumber, answerSha256: result.answerSha256 });
  if (!s) return null;
  const receipt = await listHandedIn(db, s.id);
  const names = uniqueNames(receipt.map((a) => a.name));
  return {
    submission: s,
    checks: checkAgainstReceipt(
      embedded,
      receipt.map((a, i) => ({ name: names[i], sha256: a.sha256 })),
    ),
  };
}

let allValid = true;
for (const file of files) {
  const pdf = readFileSync(file);
  const result = verifyPdf(pdf, trusted);
  allValid &&= result.valid;
  const embedded = result.problem === 'not-a-pdf' ? [] : embeddedFilesOf(pdf);
  const stored = await receiptCheck(pdf, result, embedded).catch((err: Error) => {
    console.error(`${file}: kvitteringen kunne ikke læses / the receipt could not be read: ${err.message}`);
    allValid = false;
    return null;
  });
  if (stored?.checks.some((c) => c.outcome !== 'match')) allValid = false;
  if (json) {
    console.log(JSON.stringify({ file, ...result, attachments: embedded, receipt: stored }));
    continue;
  }
  console.log(`${file}: ${result.valid ? 'GYLDIG / VALID' : 'UGYLDIG / INVALID'}`);
  console.log(`  ${result.message.da}\n  ${result.message.en}`);
  if (result.signer)
    console.log(
      `  Underskriver / signer: ${result.signer.commonName} (${result.signer.organization}), serial ${result.signer.serialNumber}${result.trusted ? ', trusted CA' : ', CA not in trust list'}`,
    );
  if (result.signingTime) console.log(`  Underskrevet / signed: ${result.signingTime}`);
  if (result.examNumber) console.log(`  Prøvenummer / exam number: ${result.examNumber}`);
  if (result.answerSha256) console.log(`  SHA-256 af besvarelsen / answer hash: ${result.answerSha256}`);
  console.log(`  PAdES: ${result.subFilter ?? '-'}, signing-certificate-v2: ${result.signingCertificateBound ? 'ja/yes' : 'nej/no'}`);
  console.log(`  Vedhæftede filer / attachments: ${embedded.length}`);
  for (const f of embedded) console.log(`    ${f.name} (${f.size} byte) SHA-256 ${f.sha256}`);
  if (!db) console.log('  Kvitteringen er ikke tjekket (ingen DATABASE_URL) / receipt not checked (no DATABASE_URL)');
  else if (!stored) console.log('  Ingen kvittering fundet for filen / no stored receipt found for this file');
  else {
    const how = stored.submission.by === 'pdf' ? 'den gemte PDF / the stored PDF' : 'prøvenummer og hash / exam number and hash';
    console.log(`  Kvittering / receipt: aflevering ${stored.submission.id} v${stored.submission.version} (fundet ved ${how})`);
    for (const c of stored.checks) console.log(`    ${c.name}: ${OUTCOME[c.outcome]} (SHA-256 ${c.sha256})`);
  }
}
await db?.end();
process.exit(allValid ? 0 : 1);
