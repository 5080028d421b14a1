import { createHash, createPrivateKey, sign as rsaSign, type KeyObject } from 'node:crypto';
import { pdfkitAddPlaceholder } from '@signpdf/placeholder-pdfkit';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { OID, ctx, der, derSortedSet, fromDer, int, issuerAndSerial, nullValue, octets, oid, seq, set, type Asn1 } from './cms.ts';
import { finishPdf } from './pdfRenderer.ts';
import type { SigningIdentity } from './signingIdentity.ts';

/** Room for the CMS blob in /Contents: our signatures with a two-certificate chain are ~3 KB. */
const SIGNATURE_LENGTH = 12_000;

/**
 * A PAdES baseline B-B signer (ETSI EN 319 142-1): detached CMS SignedData over the PDF's byte range, with
 * signed attributes content-type, message-digest and ESS signing-certificate-v2 (RFC 5035), which
 * @signpdf's P12Signer leaves out. The claimed signing time goes in the signature dictionary's /M, as
 * PAdES requires, not in a CMS signing-time attribute. ASN.1 is built with node-forge; hashing and RSA run
 * in Node's native crypto (several times faster than forge's JS). One instance signs one document.
 */
export class PadesSigner extends Signer {
  private used = false;
  private readonly key: KeyObject;

  constructor(private readonly identity: SigningIdentity) {
    super();
    this.key = createPrivateKey(identity.keyPem);
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    if (this.used) throw new Error('a PadesSigner signs once; create one per document');
    this.used = true;
    const { certDer, chainDer } = this.identity;
    const { issuer, serial } = issuerAndSerial(certDer);
    const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

    const signedAttrs = derSortedSet([
      seq([oid(OID.contentType), set([oid(OID.data)])]),
      seq([oid(OID.messageDigest), set([octets(sha256(pdfBuffer))])]),
      // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with the default
      // hash (SHA-256, so omitted per DER) and IssuerSerial { GeneralNames [4] directoryName, serial }.
      seq([oid(OID.signingCertificateV2), set([seq([seq([seq([octets(sha256(certDer)), seq([seq([ctx(4, [issuer])]), serial])])])])])]),
    ]);
    // The signature covers the DER of the attributes as a SET (RFC 5652 §5.4), stored as [0] IMPLICIT.
    const signature = rsaSign('sha256', der(set(signedAttrs)), this.key);
    const signerInfo = seq([
      int(1),
      seq([issuer, serial]),
      seq([oid(OID.sha256)]),
      ctx(0, signedAttrs),
      seq([oid(OID.rsaEncryption), nullValue()]),
      octets(signature),
    ]);
    const certificates: Asn1[] = [certDer, ...chainDer].map((c) => fromDer(c));
    const signedData = seq([int(1), set([seq([oid(OID.sha256)])]), seq([oid(OID.data)]), ctx(0, certificates), set([signerInfo])]);
    return der(seq([oid(OID.signedData), ctx(0, [signedData])]));
  }
}

/** Adds the signature placeholder to a laid-out pdfkit document, ends it and signs it. */
export async function signPdfDocument(doc: PDFKit.PDFDocument, identity: SigningIdentity, signingTime: Date): Promise<Buffer> {
  pdfkitAddPlaceholder({
    pdf: doc,
    pdfBuffer: Buffer.alloc(0),
    reason: 'Besvarelse afleveret og forseglet af Prøvesal',
    contactInfo: 'Prøvesal',
    name: 'Prøvesal',
    location: 'Danmark',
    signingTime,
    signatureLength: SIGNATURE_LENGTH,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
  });
  const unsigned = await finishPdf(doc);
  return new SignPdf().sign(unsigned, new PadesSigner(identity), signingTime);
}
