import { imageBytes, type Block, type ImageRef, type Inline } from './answerDoc.ts';
import { renderDisplayFormula } from './pdfFormula.ts';
import { writeFlow } from './pdfInlineFlow.ts';
import { BODY, F, MARGIN, type Art, type Box, type Doc, type OpenedImage } from './pdfStyle.ts';

const HEADING_SIZES = [0, 18, 15, 13, 12, 11, 11];

/** Lays out the answer's blocks with their formatting, top to bottom from the current position, adding pages as needed. */
export function renderBlocks(doc: Doc, blocks: Block[], box: Box, art: Art = {}): void {
  for (const block of blocks) renderBlock(doc, block, box, art);
}

function renderBlock(doc: Doc, block: Block, box: Box, art: Art): void {
  switch (block.kind) {
    case 'heading':
      doc.moveDown(0.3);
      writeInlines(doc, block.inlines, box, HEADING_SIZES[block.level], true, art);
      doc.moveDown(0.3);
      return;
    case 'paragraph':
      writeInlines(doc, block.inlines, box, BODY, false, art);
      doc.moveDown(0.5);
      return;
    case 'code':
      doc
        .font(F.regular)
        .fontSize(BODY - 1)
        .fillColor('#222')
        .text(block.text || ' ', box.x + 10, doc.y, { width: box.width - 10 });
      doc.fillColor('black').moveDown(0.5);
      return;
    case 'list':
      renderList(doc, block, box, art);
      return;
    case 'table':
      renderTable(doc, block.rows, box);
      return;
    case 'quote': {
      const top = doc.y;
      const startPage = pageIndex(doc);
      renderBlocks(doc, block.blocks, { x: box.x + 14, width: box.width - 14 }, art);
      if (pageIndex(doc) === startPage)
        doc
          .lineWidth(2)
          .strokeColor('#999')
          .moveTo(box.x + 4, top)
          .lineTo(box.x + 4, doc.y - 6)
          .stroke()
          .strokeColor('black');
      return;
    }
    case 'image':
      renderImage(doc, block, box, art);
      return;
    case 'formula':
      renderDisplayFormula(doc, block.latex, box, art.formula);
      return;
    case 'rule':
      doc
        .lineWidth(0.5)
        .moveTo(box.x, doc.y + 4)
        .lineTo(box.x + box.width, doc.y + 4)
        .stroke();
      doc.y += 12;
      return;
  }
}

function fontFor(bold: boolean, italic: boolean): string {
  return bold ? (italic ? F.boldItalic : F.bold) : italic ? F.italic : F.regular;
}

/** Writes runs with their marks as one flowing paragraph (with formulas: pdfInlineFlow.ts); inline images break the paragraph. */
function writeInlines(doc: Doc, inlines: Inline[], box: Box, size: number, bold: boolean, art: Art): void {
  let pending: Inline[] = [];
  const flush = () => {
    if (pending.some((i) => i.kind === 'formula')) {
      writeFlow(doc, pending, box, size, bold, art.formula);
      pending = [];
      return;
    }
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
    if (inline.kind === 'image') {
      flush();
      renderImage(doc, inline, box, art);
    } else pending.push(inline);
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

function renderList(doc: Doc, list: Extract<Block, { kind: 'list' }>, box: Box, art: Art): void {
  const indent = 20;
  list.items.forEach((item, i) => {
    const label = list.ordered ? `${list.start + i}.` : '•';
    const y = doc.y;
    doc
      .font(F.regular)
      .fontSize(BODY)
      .text(label, box.x, y, { width: indent - 4, lineBreak: false });
    doc.y = y;
    const inner = { x: box.x + indent, width: box.width - indent };
    if (item.length) renderBlocks(doc, item, inner, art);
    else doc.moveDown(1);
    doc.y -= doc.currentLineHeight() * 0.3; // list items sit closer than paragraphs
  });
  doc.moveDown(0.3);
}

function cellText(blocks: Block[]): string {
  const lines: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'paragraph' || b.kind === 'heading')
      lines.push(b.inlines.map((i) => (i.kind === 'text' ? i.text : i.kind === 'break' ? '\n' : i.kind === 'formula' ? i.latex : '[billede]')).join(''));
    else if (b.kind === 'code') lines.push(b.text);
    else if (b.kind === 'list') b.items.forEach((it, n) => lines.push(`${b.ordered ? `${b.start + n}.` : '•'} ${cellText(it)}`));
    else if (b.kind === 'quote') lines.push(cellText(b.blocks));
    else if (b.kind === 'table') lines.push(b.rows.map((r) => r.map((c) => cellText(c.blocks)).join(' | ')).join('\n'));
    else if (b.kind === 'image') lines.push('[billede]');
    else if (b.kind === 'formula') lines.push(b.latex);
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
    const height =
      Math.max(
        ...texts.map((t, i) => {
          doc.font(row[i].header ? F.bold : F.regular);
          return doc.heightOfString(t, { width: colWidth - 2 * pad });
        }),
      ) +
      2 * pad;
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

/** Opens PNG or JPEG bytes for drawing; null for anything pdfkit cannot decode. */
export function openImage(doc: Doc, bytes: Buffer | null): OpenedImage | null {
  if (!bytes) return null;
  // openImage exists in pdfkit 0.20 but not in its type definitions.
  try {
    return (doc as unknown as { openImage(b: Buffer): OpenedImage }).openImage(bytes);
  } catch {
    return null; // bytes pdfkit cannot decode become the placeholder below; one bad image never fails the whole PDF
  }
}

function renderImage(doc: Doc, ref: ImageRef, box: Box, art: Art): void {
  // An attachment image is drawn from the handed-in file, never from its src (which only the browser could load).
  const image = ref.attachmentId ? (art.attachmentImage?.(doc, ref.attachmentId) ?? null) : openImage(doc, imageBytes(ref.src));
  if (!image) {
    const label = ref.attachmentId ? `[Billede: ${art.attachmentName?.(ref.attachmentId) ?? ref.attachmentId}]` : '[Billedet kan ikke vises]';
    doc.font(F.italic).fontSize(BODY).text(label, box.x, doc.y, { width: box.width });
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
