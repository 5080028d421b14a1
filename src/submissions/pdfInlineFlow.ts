import type { Inline } from './answerDoc.ts';
import type { FormulaRenderer } from './formulaSvg.ts';
import { drawFormula, placeFormula, type PlacedFormula } from './pdfFormula.ts';
import { F, MARGIN, type Box, type Doc } from './pdfStyle.ts';

type Style = { font: string; underline: boolean; strike: boolean; grey: boolean };
type Piece = { kind: 'word' | 'space'; text: string; style: Style; width: number } | { kind: 'formula'; f: PlacedFormula; width: number } | { kind: 'break' };
type Line = { pieces: Piece[]; width: number };

const fontFor = (bold: boolean, italic: boolean) => (bold ? (italic ? F.boldItalic : F.bold) : italic ? F.italic : F.regular);

/**
 * A paragraph holding inline formulas, laid out line by line here because pdfkit's text flow cannot hold a drawing:
 * words and formulas are placed on a shared baseline (a formula sits on it as MathJax measured it, and a tall one
 * makes its line taller), wrapped at spaces. A formula that is not rendered is its LaTeX source in monospace
 * (docs/rules.md §16.3), broken anywhere if it is longer than a line. Images are not inline here (the caller breaks
 * the paragraph for them, as before).
 */
export function writeFlow(doc: Doc, inlines: Inline[], box: Box, size: number, bold: boolean, render: FormulaRenderer | undefined): void {
  const pieces: Piece[] = [];
  const word = (text: string, style: Style) => {
    doc.font(style.font).fontSize(style.grey ? size - 1 : size);
    for (const part of text.match(/\s+|\S+/g) ?? []) {
      const kind = /^\s/.test(part) ? 'space' : 'word';
      const chunks = kind === 'space' ? [' '] : style.font === F.mono ? monoLines(doc, part, box.width) : splitToWidth(doc, part, box.width);
      for (const chunk of chunks) pieces.push({ kind, text: chunk, style, width: doc.widthOfString(chunk) });
    }
  };
  for (const i of inlines) {
    if (i.kind === 'break') pieces.push({ kind: 'break' });
    else if (i.kind === 'text') word(i.text, { font: fontFor(bold || i.bold, i.italic), underline: i.underline, strike: i.strike, grey: false });
    else if (i.kind === 'formula') {
      const f = placeFormula(render, i.latex, false, size, box.width);
      if (f) pieces.push({ kind: 'formula', f, width: f.width });
      else word(i.latex, { font: F.mono, underline: false, strike: false, grey: true });
    }
  }
  for (const line of wrap(pieces, box.width)) drawLine(doc, line, box, size);
  doc.x = box.x;
}

/** A word wider than the line, cut into pieces that fit, measuring each character once. */
function splitToWidth(doc: Doc, word: string, width: number): string[] {
  if (doc.widthOfString(word) <= width) return [word];
  const out: string[] = [];
  let current = '';
  let used = 0;
  for (const ch of word) {
    const w = doc.widthOfString(ch);
    if (current && used + w > width) {
      out.push(current);
      current = '';
      used = 0;
    }
    current += ch;
    used += w;
  }
  if (current) out.push(current);
  return out;
}

/**
 * Text in the monospace font (current font and size) cut into lines of as many characters as fit: a formula's source
 * can be 10 KB without a space, and measuring it character by character through pdfkit's text shaping takes seconds.
 */
export function monoLines(doc: Doc, text: string, width: number): string[] {
  const perLine = Math.max(1, Math.floor(width / Math.max(0.1, doc.widthOfString('0'))));
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += perLine) out.push(chars.slice(i, i + perLine).join(''));
  return out.length ? out : [''];
}

function wrap(pieces: Piece[], width: number): Line[] {
  const lines: Line[] = [{ pieces: [], width: 0 }];
  for (const p of pieces) {
    let line = lines[lines.length - 1];
    if (p.kind === 'break') {
      lines.push({ pieces: [], width: 0 });
      continue;
    }
    if (p.kind === 'space' && !line.pieces.length) continue;
    if (p.kind !== 'space' && line.pieces.length && line.width + p.width > width + 0.01) {
      while (line.pieces.length && line.pieces[line.pieces.length - 1].kind === 'space') line.width -= (line.pieces.pop() as { width: number }).width;
      line = { pieces: [], width: 0 };
      lines.push(line);
    }
    line.pieces.push(p);
    line.width += p.width;
  }
  return lines;
}

function drawLine(doc: Doc, line: Line, box: Box, size: number): void {
  doc.font(F.regular).fontSize(size);
  const textHeight = doc.currentLineHeight(true);
  const textAscent = ascenderOf(doc, size);
  let ascent = textAscent;
  let descent = textHeight - textAscent;
  for (const p of line.pieces)
    if (p.kind === 'formula') {
      ascent = Math.max(ascent, p.f.ascent);
      descent = Math.max(descent, p.f.depth);
    }
  if (doc.y + ascent + descent > doc.page.height - MARGIN.bottom) {
    doc.addPage();
    doc.y = doc.page.margins.top;
  }
  const baseline = doc.y + ascent;
  let x = box.x;
  for (const p of line.pieces) {
    if (p.kind === 'formula') drawFormula(doc, p.f, x, baseline - p.f.ascent, { baseline, size, fit: true });
    else if (p.kind !== 'break') {
      const s = p.style;
      doc
        .font(s.font)
        .fontSize(s.grey ? size - 1 : size)
        .fillColor(s.grey ? '#333' : 'black');
      doc.text(p.text, x, baseline - ascenderOf(doc, s.grey ? size - 1 : size), {
        lineBreak: false,
        underline: s.underline && p.kind === 'word',
        strike: s.strike && p.kind === 'word',
      });
    }
    if (p.kind !== 'break') x += p.width;
  }
  doc.fillColor('black');
  doc.y = baseline + descent;
  doc.x = box.x;
}

/** pdfkit puts the top of a text line at y and its baseline one ascender of the current font below. */
const ascenderOf = (doc: Doc, size: number) => ((doc as unknown as { _font: { ascender: number } })._font.ascender / 1000) * size;
