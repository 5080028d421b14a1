import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { verifyPdf } from './verifier.ts';

/**
 * `npm run verify -- file.pdf [--ca ca.pem]`: checks a submission PDF's signature. Trusts the service's
 * own CA under DATA_DIR/signing/ when present. Exit 0 valid, 1 invalid, 2 usage error.
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

let allValid = true;
for (const file of files) {
  const result = verifyPdf(readFileSync(file), trusted);
  allValid &&= result.valid;
  if (json) {
    console.log(JSON.stringify({ file, ...result }));
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
}
process.exit(allValid ? 0 : 1);
