import PDFDocument from 'pdfkit';
import type { HandedInAttachment } from '../attachments/queries.ts';
import { answerBlocks, isEmptyAnswer, type Block } from './answerDoc.ts';
import { renderBlocks } from './pdfBlocks.ts';
import type { ItemSection } from '../items/itemPrint.ts';
import { renderItemSection } from './pdfItems.ts';
import { registerPdfFonts, type FontFiles } from './pdfFont.ts';
import { BODY, F, MARGIN, type Art, type Box, type Doc } from './pdfStyle.ts';

/** Everything printed on a submission's PDF. Never the candidate's name: graders know exam numbers only (docs/rules.md §3). */
export interface SubmissionPdfInput {
  submissionId: number;
  version: number;
  examNumber: string;
  subject: string;
  level: number;
  startsAt: string;
  /** The candidate's individual end (startsAt + duration + extra minutes + paused time). */
  endsAt: string;
  extraMinutes: number;
  handedInAt: string;
  handedInBy: 'candidate' | 'auto' | 'invigilator';
  /** SHA-256 of the frozen answer, as on the receipt. */
  textSha256: string;
  finalState: Uint8Array;
  /** An item test's items (docs/rules.md §14.8); with scores and key only in the grader's copy. */
  items?: ItemSection;
  /** The attachments frozen with the answer, embedded and listed by pdfAttachments.ts. */
  attachments?: HandedInAttachment[];
}

/** Keywords entry carrying the answer hash, so a verifier can read it back from the signed file. */
export const answerHashKeyword = (sha: string) => `answer-sha256:${sha}`;

const copenhagen = new Intl.DateTimeFormat('da-DK', {
  timeZone: 'Europe/Copenhagen',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
export const formatCopenhagen = (iso: string) => copenhagen.format(new Date(iso));

const HANDED_IN_BY = { candidate: 'af eleven', auto: 'automatisk ved tidens udløb', invigilator: 'af tilsynsførende' } as const;

/**
 * Lays out the answer PDF (not yet ended, so the signer can add its placeholder): a first-page box with
 * times and the answer hash, the answer with its formatting, a header and "side N af M" on every page.
 * With `stamp: false` the caller adds pages (attachments) and then calls `stampAnswerPdf`. Without `art.formula`
 * formulas are printed as their LaTeX source (the worker always gives one: formulaSvg.ts).
 */
export function buildAnswerPdf(input: SubmissionPdfInput, fonts: FontFiles, o: { stamp?: boolean; art?: Art; blocks?: Block[] } = {}): Doc {
  const sittingLine = sittingLineOf(input);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    lang: 'da-DK',
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      Title: `Besvarelse ${input.examNumber} – ${sittingLine}`,
      Author: 'Prøvesal',
      Subject: sittingLine,
      Keywords: `provesal; exam-number:${input.examNumber}; ${answerHashKeyword(input.textSha256)}`,
      Creator: 'Prøvesal',
      // Fixed dates keep the file ID (derived from the info dictionary) stable for the same hand-in.
      CreationDate: new Date(input.handedInAt),
      ModDate: new Date(input.handedInAt),
    },
  });
  registerPdfFonts(doc, F, fonts);
  doc.font(F.regular).fontSize(BODY);

  const box: Box = { x: MARGIN.left, width: doc.page.width - MARGIN.left - MARGIN.right };
  drawFactsBox(doc, input, box);
  const blocks = o.blocks ?? answerBlocks(input.finalState);
  doc
    .font(F.bold)
    .fontSize(14)
    .text(input.items?.total ? 'Bedømmerens eksemplar' : 'Besvarelse', box.x, doc.y, { width: box.width });
  doc.moveDown(0.4);
  if (input.items) {
    renderItemSection(doc, input.items, box);
  } else if (isEmptyAnswer(blocks)) {
    doc.font(F.italic).fontSize(BODY).text('Besvarelsen er tom.', box.x, doc.y, { width: box.width });
  } else {
    renderBlocks(doc, blocks, box, { attachmentName: (id) => input.attachments?.find((a) => a.id === id)?.name, ...o.art });
  }
  if (o.stamp !== false) stampAnswerPdf(doc, input);
  return doc;
}

const sittingLineOf = (input: SubmissionPdfInput) => `${input.subject} (FP${input.level})`;

/** Header and page numbers on every page laid out so far; call once, after the last page. */
export const stampAnswerPdf = (doc: Doc, input: SubmissionPdfInput): void => stampPages(doc, sittingLineOf(input), input.examNumber);

function drawFactsBox(doc: Doc, input: SubmissionPdfInput, box: Box): void {
  const rows: [string, string][] = [
    ['Prøve', `${input.subject} (FP${input.level})`],
    ['Prøvenummer', input.examNumber],
    ['Start', formatCopenhagen(input.startsAt)],
    ['Slut', formatCopenhagen(input.endsAt)],
    ['Forlænget tid', input.extraMinutes > 0 ? `${input.extraMinutes} minutter` : 'ingen'],
    ['Afleveret', `${formatCopenhagen(input.handedInAt)} (${HANDED_IN_BY[input.handedInBy]})`],
    ['SHA-256 af besvarelsen', input.textSha256],
  ];
  const labelWidth = 150;
  const pad = 8;
  const top = doc.y;
  let y = top + pad;
  for (const [label, value] of rows) {
    const mono = label.startsWith('SHA');
    doc
      .font(F.bold)
      .fontSize(10)
      .text(label, box.x + pad, y, { width: labelWidth });
    doc
      .font(F.regular)
      .fontSize(mono ? 7.2 : 10)
      .text(value, box.x + pad + labelWidth, y, { width: box.width - labelWidth - 2 * pad });
    y = Math.max(doc.y, y + 14) + 3;
  }
  doc
    .lineWidth(0.8)
    .rect(box.x, top, box.width, y - top + pad - 3)
    .stroke();
  doc.x = box.x;
  doc.y = y + pad + 10;
}

/** Header (sitting, exam number) and "side N af M" on every buffered page. */
function stampPages(doc: Doc, sittingLine: string, examNumber: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the margins would make pdfkit add a page; lift them while stamping.
    const { top, bottom } = doc.page.margins;
    doc.page.margins.top = 0;
    doc.page.margins.bottom = 0;
    const width = doc.page.width - MARGIN.left - MARGIN.right;
    doc.font(F.regular).fontSize(9).fillColor('#333');
    doc.text(sittingLine, MARGIN.left, 34, { width: width * 0.65, lineBreak: false, ellipsis: true });
    doc.font(F.bold).text(`Prøvenummer ${examNumber}`, MARGIN.left + width * 0.5, 34, { width: width * 0.5, align: 'right', lineBreak: false });
    doc
      .lineWidth(0.5)
      .strokeColor('#888')
      .moveTo(MARGIN.left, 50)
      .lineTo(MARGIN.left + width, 50)
      .stroke();
    doc
      .font(F.regular)
      .fontSize(9)
      .text(`side ${i - range.start + 1} af ${range.count}`, MARGIN.left, doc.page.height - 40, { width, align: 'center', lineBreak: false });
    doc.fillColor('black').strokeColor('black');
    doc.page.margins.top = top;
    doc.page.margins.bottom = bottom;
  }
}

/** Ends the document and collects its bytes. */
export function finishPdf(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
