import forge from 'node-forge';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';

/**
 * What a signer needs, in a form that crosses into worker threads (structured clone): the private key as
 * PKCS#8 PEM, the signing certificate and its chain as DER. The CA PEM (if we made the CA) lets the
 * verifier say "trusted".
 */
export interface SigningIdentity {
  keyPem: string;
  certDer: Uint8Array;
  chainDer: Uint8Array[];
  trustedCaPem: string[];
  /** The service's own CA made on first start (the demo): its signatures are labelled a demo certificate. */
  selfMade: boolean;
}

const P12_FILE = 'signing.p12';
const PASSWORD_FILE = 'signing-p12.password';
const CA_FILE = 'ca.pem';

/**
 * Loads SIGNING_P12_PATH (production), or the service's own CA + signing certificate under
 * DATA_DIR/signing/, creating them on first start (files 0600). Logs where they are.
 */
export function loadSigningIdentity(config: Pick<Config, 'SIGNING_P12_PATH' | 'SIGNING_P12_PASSWORD' | 'DATA_DIR'>, log?: Logger): SigningIdentity {
  if (config.SIGNING_P12_PATH) {
    const identity = identityFromP12(readFileSync(config.SIGNING_P12_PATH), config.SIGNING_P12_PASSWORD ?? '');
    log?.info({ p12: config.SIGNING_P12_PATH }, 'PDF signing certificate loaded');
    return identity;
  }
  const dir = path.resolve(config.DATA_DIR, 'signing');
  const p12Path = path.join(dir, P12_FILE);
  if (!existsSync(p12Path)) {
    createSelfMadeIdentity(dir);
    log?.warn(
      { dir, p12: p12Path, ca: path.join(dir, CA_FILE) },
      'created a self-made signing CA and certificate for PDFs; set SIGNING_P12_PATH + SIGNING_P12_PASSWORD in production',
    );
  } else {
    log?.info({ p12: p12Path }, 'PDF signing certificate loaded (self-made CA)');
  }
  const password = readFileSync(path.join(dir, PASSWORD_FILE), 'utf8').trim();
  return { ...identityFromP12(readFileSync(p12Path), password), selfMade: true };
}

/** Reads the private key, the certificate matching it and the rest of the chain from a PKCS#12 file. */
export function identityFromP12(p12Der: Buffer, password: string): SigningIdentity {
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12Der.toString('binary')), false, password);
  const keyBag =
    (p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? [])[0] ??
    (p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? [])[0];
  if (!keyBag?.key) throw new Error('the PKCS#12 file holds no private key');
  const key = keyBag.key as forge.pki.rsa.PrivateKey;
  const certs = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).map((b) => b.cert!).filter(Boolean);
  const own = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n.compareTo(key.n) === 0 && pub.e.compareTo(key.e) === 0;
  });
  if (!own) throw new Error('the PKCS#12 file holds no certificate matching its private key');
  const der = (c: forge.pki.Certificate) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), 'binary');
  return {
    keyPem: forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))),
    certDer: der(own),
    chainDer: certs.filter((c) => c !== own).map(der),
    // The chain that came with the key; it is not a trust anchor by itself (SIGNING_TRUST_ANCHORS_PATH is).
    trustedCaPem: certs.filter((c) => c !== own).map((c) => forge.pki.certificateToPem(c)),
    selfMade: false,
  };
}

// Tagged UTF8String so forge encodes "ø" as UTF-8 (its default PrintableString would write Latin-1).
const utf8 = (value: string) => ({ value, valueTagClass: forge.asn1.Type.UTF8 as number });
const dn = (commonName: string) => [
  { name: 'commonName', ...utf8(commonName) },
  { name: 'organizationName', ...utf8('Prøvesal') },
  { name: 'countryName', value: 'DK' },
];

function createSelfMadeIdentity(dir: string): void {
  // Node's key generation is native and fast; forge's pure-JS RSA key generation takes seconds.
  const rsa = () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 3072,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
    return { key, pub: forge.pki.setRsaPublicKey(key.n, key.e) };
  };
  const now = new Date();
  const ca = rsa();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.pub;
  caCert.serialNumber = '01' + randomBytes(8).toString('hex');
  caCert.validity.notBefore = new Date(now.getTime() - 60_000);
  caCert.validity.notAfter = new Date(now.getTime() + 20 * 365 * 86_400_000);
  const caName = dn('Prøvesal signing CA');
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.key, forge.md.sha256.create());

  const signer = rsa();
  const cert = forge.pki.createCertificate();
  cert.publicKey = signer.pub;
  cert.serialNumber = '02' + randomBytes(8).toString('hex');
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 86_400_000);
  cert.setSubject(dn('Prøvesal besvarelser'));
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());

  const password = randomBytes(24).toString('base64url');
  const p12 = forge.pkcs12.toPkcs12Asn1(signer.key, [cert, caCert], password, { algorithm: '3des', friendlyName: 'provesal-signing' });
  // All files are written into a private temporary directory that is then renamed into place in one step:
  // two processes starting at once never mix one's password with the other's key. The loser discards its own.
  // The CA's private key is not kept: nothing else is ever issued from it.
  mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = mkdtempSync(path.join(path.dirname(dir), '.signing-'));
  const write = (name: string, data: string | Buffer) => writeFileSync(path.join(tmp, name), data, { mode: 0o600 });
  write(PASSWORD_FILE, password + '\n');
  write(CA_FILE, forge.pki.certificateToPem(caCert));
  write(P12_FILE, Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
  chmodSync(tmp, 0o700);
  try {
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(path.join(dir, P12_FILE))) throw err;
  }
}
