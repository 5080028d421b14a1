import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The PEM certificates of SIGNING_TRUST_ANCHORS_PATH (one file, any number of certificates); none when unset. */
export function readTrustAnchors(path: string | undefined): string[] {
  if (!path) return [];
  return readFileSync(path, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** The certificate, or nothing when the bytes are not one. */
export const readCertificate = (certificate: string | Buffer): X509Certificate[] => {
  try {
    return [new X509Certificate(certificate)];
  } catch {
    return [];
  }
};

const issues = (issuer: X509Certificate, subject: X509Certificate) => {
  try {
    return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
};

/**
 * Whether the certificate chains to one of the anchors: issued by an anchor, or by an intermediate (from the
 * signature's own certificates) that itself chains to one. Only a configured anchor makes a signature "betroet":
 * a CA that merely travels with the file proves nothing about who made it.
 */
export function chainsTo(cert: X509Certificate, intermediates: X509Certificate[], anchors: X509Certificate[], depth = 0): boolean {
  if (anchors.some((a) => a.fingerprint256 === cert.fingerprint256 || issues(a, cert))) return true;
  if (depth >= 5) return false;
  return intermediates.some((i) => i.ca && issues(i, cert) && chainsTo(i, intermediates, anchors, depth + 1));
}
