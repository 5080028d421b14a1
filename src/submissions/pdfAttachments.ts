import { createHash } from 'node:crypto';
import type { HandedInAttachment } from '../attachments/queries.ts';
import type { AttachmentKind } from '../protocol/attachments.ts';
import { DRAWABLE, type AnswerImages } from './answerImages.ts';
import type { FetchAttachment } from './attachmentPort.ts';
import type { SubmissionPdfInput } from './pdfRenderer.ts';
import { BODY, F, MARGIN, type Box, type Doc } from './pdfStyle.ts';

const KIND_LABEL: Record<AttachmentKind, string> = {
  image: 'Billede',
  pdf: 'PDF-dokument',
  ggb: 'GeoGebra-fil',
  xlsx: 'Regneark (Excel)',
  ods: 'Regneark (OpenDocument)',
  docx: 'Dokument (Word)',
};

/**
 * The attachments part of a submission PDF (docs/rules.md §15.9): a page listing every file (name, type, size,
 * SHA-256), every file embedded (the /EmbeddedFiles name tree and the catalogue's /AF, so the PAdES signature over
 * the whole file covers their bytes), and each PNG or JPEG drawn on its own page with its name and SHA-256.
 * Files are fetched one at a time and written into the PDF at once; a file whose bytes do not hash to what the
 * receipt says fails the PDF rather than being signed.
 */
export async function appendAttachments(doc: Doc, input: SubmissionPdfInput, fetch: FetchAttachment, images?: AnswerImages): Promise<void> {
  const list = input.attachments ?? [];
  if (!list.length) return;
  const names = uniqueNames(list.map((a) => a.name));
  const box: Box = { x: MARGIN.left, width: doc.page.width - MARGIN.left - MARGIN.right };
  listPage(doc, list, names, box);
  const when = new Date(input.handedInAt);
  for (const [i, a] of list.entries()) {
    const view = asBuffer(await fetch(i));
    const sha = createHash('sha256').update(view).digest('hex');
    if (sha !== a.sha256) throw new Error(`attachment ${a.id}: stored bytes hash to ${sha}, the receipt says ${a.sha256}`);
    // Every kind we take is compressed already (PNG, JPEG, PDF, ZIP-based documents): deflating again only costs time.
    const compress = doc.compress;
    doc.compress = false;
    doc.file(view, {
      name: names[i],
      type: a.mimeType,
      description: `SHA-256 ${a.sha256}`,
      creationDate: when,
      modifiedDate: when,
      relationship: 'Supplement',
    } as PDFKit.Mixins.PDFAttachmentOptions);
    doc.compress = compress;
    if (DRAWABLE.has(a.mimeType)) imagePage(doc, a, names[i], images?.open(doc, a.id) ?? view, box);
  }
}

function listPage(doc: Doc, list: readonly HandedInAttachment[], names: string[], box: Box): void {
  doc.addPage();
  doc.font(F.bold).fontSize(14).text('Vedhæftede filer', box.x, doc.y, { width: box.width });
  doc.moveDown(0.3);
  doc
    .font(F.regular)
    .fontSize(9.5)
    .text('Filerne er indlejret i denne PDF og omfattet af dens digitale signatur. Billeder er vist på de følgende sider.', { width: box.width });
  doc.moveDown(0.6);
  for (const [i, a] of list.entries()) {
    doc
      .font(F.bold)
      .fontSize(BODY)
      .text(`${i + 1}. ${names[i]}`, box.x, doc.y, { width: box.width });
    doc
      .font(F.regular)
      .fontSize(9.5)
      .text(`${KIND_LABEL[a.kind]} (${a.mimeType}), ${formatSize(a.size)}`, { width: box.width });
    doc.fontSize(7.2).text(`SHA-256 ${a.sha256}`, { width: box.width });
    doc.moveDown(0.5);
  }
}

/** `image` is the bytes, or the image already opened for the answer (answerImages.ts), so it is embedded once. */
function imagePage(doc: Doc, a: HandedInAttachment, name: string, image: Buffer | object, box: Box): void {
  doc.addPage();
  doc.font(F.bold).fontSize(12).text(name, box.x, doc.y, { width: box.width });
  doc.font(F.regular).fontSize(7.2).text(`SHA-256 ${a.sha256}`, { width: box.width });
  doc.moveDown(0.6);
  const top = doc.y;
  const height = doc.page.height - MARGIN.bottom - top - 10;
  try {
    doc.image(image as Buffer, box.x, top, { fit: [box.width, height], align: 'center' });
  } catch {
    // A file that sniffs as an image but that pdfkit cannot decode is still embedded and listed: it never stops the PDF.
    doc.font(F.italic).fontSize(BODY).text('Billedet kan ikke vises her; filen er indlejret i PDF’en.', box.x, top, { width: box.width });
  }
}

/** The bytes as a Buffer over the same memory (pdfkit takes images only as Buffers). */
const asBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** Danish size: "4,8 MB (5.000.000 byte)". */
export function formatSize(bytes: number): string {
  const exact = `${bytes.toLocaleString('da-DK')} byte`;
  if (bytes < 1000) return exact;
  const [n, unit] = bytes >= 1_000_000 ? [bytes / 1_000_000, 'MB'] : [bytes / 1000, 'kB'];
  return `${n.toLocaleString('da-DK', { maximumFractionDigits: 1 })} ${unit} (${exact})`;
}

/**
 * Names for the embedded-files name tree, whose keys must differ: a second "tegning.png" becomes "tegning (2).png",
 * so a reader that extracts by name never overwrites one file with another.
 */
export function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let n = 2; taken.has(candidate); n++) {
      const dot = name.lastIndexOf('.');
      candidate = dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
    }
    taken.add(candidate);
    return candidate;
  });
}
