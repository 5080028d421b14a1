import forge from 'node-forge';
import { createHash, createPublicKey, verify as rsaVerify, X509Certificate } from 'node:crypto';
import { findByteRange } from '@signpdf/utils';
import { chainsTo, readCertificate } from './trustChain.ts';
import { DIGEST_NAMES, OID, bytesOf, children, der, fromDer, oidOf, type Asn1 } from './cms.ts';

/** Why a file is not valid; stable ids the UI and CLI translate. */
export type VerifyProblem =
  'not-a-pdf' | 'no-signature' | 'partial-coverage' | 'malformed-signature' | 'digest-mismatch' | 'signature-mismatch' | 'signer-certificate-missing';

export interface VerifyResult {
  valid: boolean;
  problem: VerifyProblem | null;
  /** Danish and English explanation for people. */
  message: { da: string; en: string };
  signer: { commonName: string | null; organization: string | null; serialNumber: string; notAfter: string } | null;
  /** The signer's certificate chains (through the certificates in the signature) to a configured trust anchor. */
  trusted: boolean;
  /** Signed with the demo's self-made certificate (signingIdentity.ts): valid as a file check, never trusted. */
  demoCertificate: boolean;
  signingTime: string | null;
  subFilter: string | null;
  /** ESS signing-certificate-v2 present and naming the signer's certificate (PAdES B-B). */
  signingCertificateBound: boolean;
  /** Read back from the PDF's Keywords (inside the signed bytes). */
  answerSha256: string | null;
  examNumber: string | null;
}

const MESSAGES: Record<VerifyProblem | 'ok', { da: string; en: string }> = {
  ok: {
    da: 'Signaturen er gyldig: filen er uændret siden Prøvesal underskrev den.',
    en: 'The signature is valid: the file is unchanged since Prøvesal signed it.',
  },
  'not-a-pdf': { da: 'Filen er ikke en PDF.', en: 'The file is not a PDF.' },
  'no-signature': { da: 'Filen har ingen digital signatur.', en: 'The file has no digital signature.' },
  'partial-coverage': {
    da: 'Signaturen dækker ikke hele filen: der er tilføjet eller ændret noget efter underskriften.',
    en: 'The signature does not cover the whole file: something was added or changed after signing.',
  },
  'malformed-signature': {
    da: 'Signaturen kan ikke læses: filen er beskadiget eller ændret.',
    en: 'The signature cannot be read: the file is damaged or was changed.',
  },
  'digest-mismatch': {
    da: 'Filen er ændret efter underskriften (indholdet passer ikke til signaturen).',
    en: 'The file was changed after signing (the content does not match the signature).',
  },
  'signature-mismatch': {
    da: 'Signaturen passer ikke til certifikatet: filen er ændret eller forfalsket.',
    en: 'The signature does not match the certificate: the file was changed or forged.',
  },
  'signer-certificate-missing': { da: 'Underskriverens certifikat mangler i signaturen.', en: "The signer's certificate is missing from the signature." },
};

/**
 * Verifies a signed PDF: the ByteRange must cover the whole file except the signature itself; the
 * SHA-256 of those bytes must equal the CMS message-digest; the signed attributes must verify against the
 * signer's certificate. CMS is parsed with node-forge's ASN.1; RSA and hashes use Node's crypto.
 */
export function verifyPdf(pdf: Buffer, trustedCaPem: readonly string[] = [], o: { demoCaPem?: readonly string[] } = {}): VerifyResult {
  const base: VerifyResult = {
    valid: false,
    problem: null,
    message: MESSAGES.ok,
    signer: null,
    trusted: false,
    demoCertificate: false,
    signingTime: null,
    subFilter: null,
    signingCertificateBound: false,
    answerSha256: null,
    examNumber: null,
  };
  const fail = (problem: VerifyProblem, extra: Partial<VerifyResult> = {}): VerifyResult => ({
    ...base,
    ...extra,
    valid: false,
    problem,
    message: MESSAGES[problem],
  });
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') return fail('not-a-pdf');

  let ranges: string[][];
  // The published types name it byteRange; at run time (3.3.0) it is byteRanges.
  try {
    ranges = (findByteRange(pdf) as unknown as { byteRanges: string[][] }).byteRanges;
  } catch {
    return fail('malformed-signature');
  }
  if (!ranges.length) return fail('no-signature');
  // The last signature is the one that must cover the file as it is now.
  const r = ranges[ranges.length - 1].map(Number);
  if (r.length !== 4 || r.some((n) => !Number.isSafeInteger(n) || n < 0)) return fail('malformed-signature');
  const [start, len1, off2, len2] = r;
  if (start !== 0 || off2 <= len1 || off2 + len2 !== pdf.length) return fail('partial-coverage');
  if (pdf[len1] !== 0x3c /* < */ || pdf[off2 - 1] !== 0x3e /* > */) return fail('malformed-signature');
  const hex = pdf.subarray(len1 + 1, off2 - 1).toString('latin1');
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2) return fail('malformed-signature');
  const signedBytes = [pdf.subarray(0, len1), pdf.subarray(off2, off2 + len2)];

  const info = readInfo(pdf.subarray(0, len1), pdf.subarray(off2));
  Object.assign(base, info);

  let cms: ParsedCms;
  try {
    cms = parseCms(Buffer.from(hex, 'hex'));
  } catch {
    return fail('malformed-signature');
  }

  const signerCertDer = cms.certificates.find((c) => matchesIssuerSerial(c, cms.issuerDer, cms.serialDer));
  const cert = signerCertDer ? (readCertificate(signerCertDer)[0] ?? null) : null;
  if (cert) {
    base.signer = {
      commonName: subjectField(cert, 'CN'),
      organization: subjectField(cert, 'O'),
      serialNumber: cert.serialNumber,
      notAfter: new Date(cert.validTo).toISOString(),
    };
    const intermediates = cms.certificates.filter((c) => !c.equals(signerCertDer!)).flatMap(readCertificate);
    base.trusted = chainsTo(cert, intermediates, trustedCaPem.flatMap(readCertificate));
    base.demoCertificate = chainsTo(cert, [], (o.demoCaPem ?? []).flatMap(readCertificate));
    base.signingCertificateBound = cms.essCertHash !== null && cms.essCertHash.equals(createHash('sha256').update(signerCertDer!).digest());
  }
  if (cms.signingTime) base.signingTime = cms.signingTime;

  const digestName = DIGEST_NAMES[cms.digestOid];
  if (!digestName || !cms.messageDigest) return fail('malformed-signature');
  const h = createHash(digestName);
  for (const part of signedBytes) h.update(part);
  if (!h.digest().equals(cms.messageDigest)) return fail('digest-mismatch');
  if (!cert) return fail('signer-certificate-missing');

  if (!signatureVerifies(digestName, cms.signedAttrsDer, cert, cms.signature)) return fail('signature-mismatch');
  return { ...base, valid: true, problem: null, message: MESSAGES.ok };
}

interface ParsedCms {
  certificates: Buffer[];
  issuerDer: Buffer;
  serialDer: Buffer;
  digestOid: string;
  signedAttrsDer: Buffer;
  messageDigest: Buffer | null;
  signingTime: string | null;
  essCertHash: Buffer | null;
  signature: Buffer;
}

/** Reads SignedData (RFC 5652 §5) and its first SignerInfo; throws on anything malformed. */
function parseCms(bytes: Buffer): ParsedCms {
  const contentInfo = children(fromDer(bytes));
  if (oidOf(contentInfo[0]) !== OID.signedData) throw new Error('not SignedData');
  const sd = children(children(contentInfo[1])[0]);
  // version, digestAlgorithms, encapContentInfo, [0] certificates?, [1] crls?, signerInfos
  const tagged = (tag: number) => sd.find((n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === tag);
  const certificates = children(tagged(0) ?? ({ value: [] } as unknown as Asn1)).map(der);
  const signerInfos = children(sd[sd.length - 1]);
  if (!signerInfos.length) throw new Error('no SignerInfo');
  const si = children(signerInfos[0]);
  const sid = children(si[1]);
  if (sid.length !== 2) throw new Error('only IssuerAndSerialNumber signer ids are supported');
  const digestOid = oidOf(children(si[2])[0]);
  const attrsNode = si[3];
  if (attrsNode.tagClass !== forge.asn1.Class.CONTEXT_SPECIFIC || attrsNode.type !== 0) throw new Error('no signed attributes');
  // The signature covers the attributes re-tagged as a universal SET (RFC 5652 §5.4).
  const signedAttrsDer = der(attrsNode);
  signedAttrsDer[0] = 0x31;
  let messageDigest: Buffer | null = null;
  let signingTime: string | null = null;
  let essCertHash: Buffer | null = null;
  for (const attr of children(attrsNode)) {
    const [type, values] = children(attr);
    const value = children(values)[0];
    const id = oidOf(type);
    if (id === OID.messageDigest) messageDigest = bytesOf(value);
    else if (id === OID.signingTime) {
      const s = value.value as string;
      signingTime = (value.type === forge.asn1.Type.UTCTIME ? forge.asn1.utcTimeToDate(s) : forge.asn1.generalizedTimeToDate(s)).toISOString();
    } else if (id === OID.signingCertificateV2) {
      const firstId = children(children(children(value)[0])[0]);
      // hashAlgorithm is omitted when it is the default SHA-256; we only bind SHA-256 hashes.
      const hashNode = firstId[0].type === forge.asn1.Type.OCTETSTRING ? firstId[0] : null;
      essCertHash = hashNode ? bytesOf(hashNode) : null;
    }
  }
  const signature = bytesOf(si.find((n, i) => i > 3 && n.tagClass === forge.asn1.Class.UNIVERSAL && n.type === forge.asn1.Type.OCTETSTRING)!);
  return { certificates, issuerDer: der(sid[0]), serialDer: der(sid[1]), digestOid, signedAttrsDer, messageDigest, signingTime, essCertHash, signature };
}

function matchesIssuerSerial(certDer: Buffer, issuerDer: Buffer, serialDer: Buffer): boolean {
  try {
    const tbs = children(children(fromDer(certDer))[0]);
    const o = tbs[0].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
    return der(tbs[o]).equals(serialDer) && der(tbs[o + 2]).equals(issuerDer);
  } catch {
    return false;
  }
}

function subjectField(cert: X509Certificate, key: string): string | null {
  const line = cert.subject.split('\n').find((l) => l.startsWith(`${key}=`));
  return line ? line.slice(key.length + 1) : null;
}

/** Keywords (answer hash, exam number) and the signature dictionary's /M, read from the signed bytes. */
function readInfo(...parts: Buffer[]): Pick<VerifyResult, 'answerSha256' | 'examNumber' | 'signingTime' | 'subFilter'> {
  const text = parts.map((p) => p.toString('latin1')).join('');
  // pdfkit writes info strings as indirect objects: /Keywords 37 0 R … 37 0 obj (…)
  const ref = /\/Keywords\s+(\d+)\s+0\s+R/.exec(text);
  const keywords = (ref ? new RegExp(`(?:^|\\s)${ref[1]} 0 obj\\s*\\(([^)]*)\\)`).exec(text)?.[1] : /\/Keywords\s*\(([^)]*)\)/.exec(text)?.[1]) ?? '';
  const m = /\/M\s*\(D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?/.exec(text.slice(text.lastIndexOf('/ByteRange')));
  let signingTime: string | null = null;
  if (m) {
    const tz = !m[7] || m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].replace(/'/g, '').slice(3, 5)}`;
    const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${tz}`);
    signingTime = Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  return {
    answerSha256: /answer-sha256:([0-9a-f]{64})/.exec(keywords)?.[1] ?? null,
    examNumber: /exam-number:([0-9A-Z-]{4,20})/.exec(keywords)?.[1] ?? null,
    signingTime,
    subFilter: /\/SubFilter\s*\/([A-Za-z0-9.]+)/.exec(text)?.[1] ?? null,
  };
}

/** A key or signature the crypto library cannot even read is a signature that does not verify. */
function signatureVerifies(digestName: string, signed: Buffer, cert: X509Certificate, signature: Buffer): boolean {
  try {
    return rsaVerify(digestName, signed, createPublicKey(cert.publicKey.export({ type: 'spki', format: 'pem' })), signature);
  } catch {
    return false;
  }
}
