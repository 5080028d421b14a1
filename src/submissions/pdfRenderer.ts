import PDFDocument from 'pdfkit';
import { answerBlocks, imageBytes, isEmptyAnswer, type Block, type Inline } from './answerDoc.ts';
import type { FontFiles } from './pdfFont.ts';

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
}

const F = { regular: 'Sans', bold: 'Sans-Bold', italic: 'Sans-Italic', boldItalic: 'Sans-BoldItalic' } as const;
const BODY = 11;
const HEADING_SIZES = [0, 18, 15, 13, 12, 11, 11];
const MARGIN = { top: 78, bottom: 64, left: 62, right: 62 };
type Doc = PDFKit.PDFDocument;
interface Box { x: number; width: number }

/** Keywords entry carrying the answer hash, so a verifier can read it back from the signed file. */
export const answerHashKeyword = (sha: string) => `answer-sha256:${sha}`;

const copenhagen = new Intl.DateTimeFormat('da-DK', {
  timeZone: 'Europe/Copenhagen', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
export const formatCopenhagen = (iso: string) => copenhagen.format(new Date(iso));

const HANDED_IN_BY = { candidate: 'af eleven', auto: 'automatisk ved tidens udløb', invigilator: 'af tilsynsførende' } as const;

/**
 * Lays out the answer PDF (not yet ended, so the signer can add its placeholder): a first-page box with
 * times and the answer hash, the answer with its formatting, a header and "side N af M" on every page.
 */
export function buildAnswerPdf(input: SubmissionPdfInput, fonts: FontFiles): Doc {
  const sittingLine = `${input.subject} (FP${input.level})`;
  const doc = new PDFDocument({
    size: 'A4', margins: MARGIN, bufferPages: true, autoFirstPage: true, lang: 'da-DK', displayTitle: true, pdfVersion: '1.7',
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
  doc.registerFont(F.regular, fonts.regular);
  doc.registerFont(F.bold, fonts.bold);
  doc.registerFont(F.italic, fonts.italic);
  doc.registerFont(F.boldItalic, fonts.boldItalic);
  doc.font(F.regular).fontSize(BODY);

  const box: Box = { x: MARGIN.left, width: doc.page.width - MARGIN.left - MARGIN.right };
  drawFactsBox(doc, input, box);
  const blocks = answerBlocks(input.finalState);
  doc.font(F.bold).fontSize(14).text('Besvarelse', box.x, doc.y, { width: box.width });
  doc.moveDown(0.4);
  if (isEmptyAnswer(blocks)) {
    doc.font(F.italic).fontSize(BODY).text('Besvarelsen er tom.', box.x, doc.y, { width: box.width });
  } else {
    renderBlocks(doc, blocks, box);
  }
  stampPages(doc, sittingLine, input.examNumber);
  return doc;
}

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
    doc.font(F.bold).fontSize(10).text(label, box.x + pad, y, { width: labelWidth });
    doc.font(F.regular).fontSize(mono ? 7.2 : 10).text(value, box.x + pad + labelWidth, y, { width: box.width - labelWidth - 2 * pad });
    y = Math.max(doc.y, y + 14) + 3;
  }
  doc.lineWidth(0.8).rect(box.x, top, box.width, y - top + pad - 3).stroke();
  doc.x = box.x;
  doc.y = y + pad + 10;
}

function renderBlocks(doc: Doc, blocks: Block[], box: Box): void {
  for (const block of blocks) renderBlock(doc, block, box);
}

function renderBlock(doc: Doc, block: Block, box: Box): void {
  switch (block.kind) {
    case 'heading':
      doc.moveDown(0.3);
      writeInlines(doc, block.inlines, box, HEADING_SIZES[block.level], true);
      doc.moveDown(0.3);
      return;
    case 'paragraph':
      writeInlines(doc, block.inlines, box, BODY, false);
      doc.moveDown(0.5);
      return;
    case 'code':
      doc.font(F.regular).fontSize(BODY - 1).fillColor('#222').text(block.text || ' ', box.x + 10, doc.y, { width: box.width - 10 });
      doc.fillColor('black').moveDown(0.5);
      return;
    case 'list':
      renderList(doc, block, box);
      return;
    case 'table':
      renderTable(doc, block.rows, box);
      return;
    case 'quote': {
      const top = doc.y;
      const startPage = pageIndex(doc);
      renderBlocks(doc, block.blocks, { x: box.x + 14, width: box.width - 14 });
      if (pageIndex(doc) === startPage) doc.lineWidth(2).strokeColor('#999').moveTo(box.x + 4, top).lineTo(box.x + 4, doc.y - 6).stroke().strokeColor('black');
      return;
    }
    case 'image':
      renderImage(doc, block.src, box);
      return;
    case 'rule':
      doc.lineWidth(0.5).moveTo(box.x, doc.y + 4).lineTo(box.x + box.width, doc.y + 4).stroke();
      doc.y += 12;
      return;
  }
}

function fontFor(bold: boolean, italic: boolean): string {
  return bold ? (italic ? F.boldItalic : F.bold) : italic ? F.italic : F.regular;
}

/** Writes runs with their marks as one flowing paragraph; inline images break the paragraph. */
function writeInlines(doc: Doc, inlines: Inline[], box: Box, size: number, bold: boolean): void {
  let pending: Inline[] = [];
  const flush = () => {
    const runs = mergeBreaks(pending);
    pending = [];
    if (!runs.length) return;
    doc.x = box.x;
    runs.forEach((run, i) => {
      doc.font(fontFor(bold || run.bold, run.italic)).fontSize(size);
      const opts = { width: box.width, continued: i < runs.length - 1, underline: run.underline, strike: run.strike };
      if (i === 0) doc.text(run.text, box.x, doc.y, opts);
      else doc.text(run.text, opts);
    });
  };
  for (const inline of inlines) {
    if (inline.kind === 'image') { flush(); renderImage(doc, inline.src, box); } else pending.push(inline);
  }
  flush();
  if (!inlines.length) doc.font(F.regular).fontSize(size).text(' ', box.x, doc.y, { width: box.width });
}

type Run = { text: string; bold: boolean; italic: boolean; underline: boolean; strike: boolean };
/** Text runs with hard breaks as "\n" at the start of the following run (pdfkit drops one that ends a continued run). */
function mergeBreaks(inlines: Inline[]): Run[] {
  const runs: Run[] = [];
  let breaks = '';
  for (const i of inlines) {
    if (i.kind === 'break') breaks += '\n';
    else if (i.kind === 'text' && i.text) {
      runs.push({ text: breaks + i.text, bold: i.bold, italic: i.italic, underline: i.underline, strike: i.strike });
      breaks = '';
    }
  }
  if (breaks && runs.length) runs[runs.length - 1].text += breaks;
  return runs;
}

function renderList(doc: Doc, list: Extract<Block, { kind: 'list' }>, box: Box): void {
  const indent = 20;
  list.items.forEach((item, i) => {
    const label = list.ordered ? `${list.start + i}.` : '•';
    const y = doc.y;
    doc.font(F.regular).fontSize(BODY).text(label, box.x, y, { width: indent - 4, lineBreak: false });
    doc.y = y;
    const inner = { x: box.x + indent, width: box.width - indent };
    if (item.length) renderBlocks(doc, item, inner); else doc.moveDown(1);
    doc.y -= doc.currentLineHeight() * 0.3; // list items sit closer than paragraphs
  });
  doc.moveDown(0.3);
}

function cellText(blocks: Block[]): string {
  const lines: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'paragraph' || b.kind === 'heading') lines.push(b.inlines.map((i) => (i.kind === 'text' ? i.text : i.kind === 'break' ? '\n' : '[billede]')).join(''));
    else if (b.kind === 'code') lines.push(b.text);
    else if (b.kind === 'list') b.items.forEach((it, n) => lines.push(`${b.ordered ? `${b.start + n}.` : '•'} ${cellText(it)}`));
    else if (b.kind === 'quote') lines.push(cellText(b.blocks));
    else if (b.kind === 'table') lines.push(b.rows.map((r) => r.map((c) => cellText(c.blocks)).join(' | ')).join('\n'));
    else if (b.kind === 'image') lines.push('[billede]');
  }
  return lines.join('\n');
}

/** A plain grid: equal columns, header cells bold, a row that does not fit moves to the next page. */
function renderTable(doc: Doc, rows: { header: boolean; blocks: Block[] }[][], box: Box): void {
  const cols = Math.max(1, ...rows.map((r) => r.length));
  const colWidth = box.width / cols;
  const pad = 4;
  doc.fontSize(BODY - 1);
  for (const row of rows) {
    const texts = row.map((c) => cellText(c.blocks) || ' ');
    const height = Math.max(...texts.map((t, i) => {
      doc.font(row[i].header ? F.bold : F.regular);
      return doc.heightOfString(t, { width: colWidth - 2 * pad });
    })) + 2 * pad;
    if (doc.y + height > doc.page.height - MARGIN.bottom) doc.addPage();
    const y = doc.y;
    row.forEach((cell, i) => {
      const x = box.x + i * colWidth;
      if (cell.header) doc.rect(x, y, colWidth, height).fillColor('#eeeeee').fill().fillColor('black');
      doc.lineWidth(0.5).rect(x, y, colWidth, height).stroke();
      doc.font(cell.header ? F.bold : F.regular).text(texts[i], x + pad, y + pad, { width: colWidth - 2 * pad });
    });
    doc.x = box.x;
    doc.y = y + height;
  }
  doc.moveDown(0.6);
}

function renderImage(doc: Doc, src: string, box: Box): void {
  const bytes = imageBytes(src);
  // openImage exists in pdfkit 0.20 but not in its type definitions.
  let image: { width: number; height: number } | null = null;
  try { image = bytes ? (doc as unknown as { openImage(b: Buffer): { width: number; height: number } }).openImage(bytes) : null; } catch { image = null; }
  if (!image) {
    doc.font(F.italic).fontSize(BODY).text('[Billedet kan ikke vises]', box.x, doc.y, { width: box.width });
    doc.moveDown(0.5);
    return;
  }
  const maxHeight = 360;
  const scale = Math.min(1, box.width / image.width, maxHeight / image.height);
  const w = image.width * scale;
  const h = image.height * scale;
  if (doc.y + h > doc.page.height - MARGIN.bottom) doc.addPage();
  doc.image(image as unknown as Buffer, box.x, doc.y, { width: w, height: h });
  doc.x = box.x;
  doc.y += h + 8;
}

function pageIndex(doc: Doc): number {
  const range = doc.bufferedPageRange();
  return range.start + range.count - 1;
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
    doc.lineWidth(0.5).strokeColor('#888').moveTo(MARGIN.left, 50).lineTo(MARGIN.left + width, 50).stroke();
    doc.font(F.regular).fontSize(9).text(`side ${i - range.start + 1} af ${range.count}`, MARGIN.left, doc.page.height - 40,
      { width, align: 'center', lineBreak: false });
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
