import forge from 'node-forge';

/** Object identifiers used in our CMS signatures (RFC 5652, RFC 5035, RFC 8017). */
export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
} as const;

export const DIGEST_NAMES: Record<string, string> = { [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };

const { asn1 } = forge;
const U = asn1.Class.UNIVERSAL;
export type Asn1 = forge.asn1.Asn1;

export const seq = (v: Asn1[]) => asn1.create(U, asn1.Type.SEQUENCE, true, v);
export const set = (v: Asn1[]) => asn1.create(U, asn1.Type.SET, true, v);
export const oid = (o: string) => asn1.create(U, asn1.Type.OID, false, asn1.oidToDer(o).getBytes());
export const octets = (b: Buffer) => asn1.create(U, asn1.Type.OCTETSTRING, false, b.toString('binary'));
export const int = (n: number) => asn1.create(U, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
export const nullValue = () => asn1.create(U, asn1.Type.NULL, false, '');
export const ctx = (tag: number, v: Asn1[]) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, v);
export const der = (node: Asn1) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
// parseAllBytes: false: a signature's /Contents is zero-padded after the DER (the types lag forge 1.3's options).
export const fromDer = (b: Buffer | Uint8Array) =>
  (asn1.fromDer as unknown as (bytes: string, o: object) => Asn1)(Buffer.from(b).toString('binary'), { parseAllBytes: false, strict: true });

export const children = (node: Asn1): Asn1[] => (Array.isArray(node.value) ? node.value : []);
export const bytesOf = (node: Asn1): Buffer => Buffer.from(typeof node.value === 'string' ? node.value : '', 'binary');
export const oidOf = (node: Asn1): string => asn1.derToOid(node.value as string);

/** issuer Name and serialNumber INTEGER of a DER certificate (TBSCertificate fields, RFC 5280 §4.1). */
export function issuerAndSerial(certDer: Uint8Array): { issuer: Asn1; serial: Asn1 } {
  const tbs = children(children(fromDer(certDer))[0]);
  const offset = tbs[0].tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0; // [0] version is optional
  return { serial: tbs[offset], issuer: tbs[offset + 2] };
}

/** DER SET OF must be sorted by encoding (X.690 §11.6); NSS and strict validators check it. */
export function derSortedSet(items: Asn1[]): Asn1[] {
  return items
    .map((node) => ({ node, bytes: der(node) }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map((x) => x.node);
}
