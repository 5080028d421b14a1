import SVGtoPDF from 'svg-to-pdfkit';
import type { FormulaRenderer, FormulaSvg } from './formulaSvg.ts';
import { monoLines } from './pdfInlineFlow.ts';
import { BODY, F, MARGIN, type Box, type Doc } from './pdfStyle.ts';

/** How a formula sits in a line: its size in points at the font size it is set at. */
export interface PlacedFormula {
  latex: string;
  art: FormulaSvg;
  width: number;
  ascent: number;
  depth: number;
}

/** Measures a rendered formula at `size` points, shrunk to `maxWidth` when wider; null when it is not rendered. */
export function placeFormula(render: FormulaRenderer | undefined, latex: string, display: boolean, size: number, maxWidth: number): PlacedFormula | null {
  const art = render?.(latex, display) ?? null;
  if (!art) return null;
  const scale = Math.min(size, maxWidth / art.width);
  return { latex, art, width: art.width * scale, ascent: art.ascent * scale, depth: art.depth * scale };
}

/** svg-to-pdfkit warns on the console about what it skips; MathJax's SVG has nothing it must not skip. */
const ignoreWarning = (): void => undefined;

/**
 * Draws a formula as vector paths with its top-left at (x, top), and its LaTeX as invisible text on `text.baseline`
 * at `text.size`, so that text extraction and screen readers get the source (docs/rules.md §16.5). pdftotext ignores
 * ActualText; invisible text (render mode 3) it reads. Inline (`text.fit`), the text is squeezed to the drawing's
 * width and sits on the line's baseline, so it reads in order with the words around it; on its own line it keeps
 * its natural width, centred on the drawing, so its spaces stay spaces.
 */
export function drawFormula(doc: Doc, f: PlacedFormula, x: number, top: number, text: { baseline: number; size: number; fit: boolean }): void {
  const height = f.ascent + f.depth;
  // MathJax sizes the root <svg> in ex and aligns it with CSS; give it the size in points the layout decided.
  const svg = f.art.svg
    .replace(/^<svg([^>]*?) width="[^"]*"/, `<svg$1 width="${f.width}"`)
    .replace(/^<svg([^>]*?) height="[^"]*"/, `<svg$1 height="${height}"`)
    .replace(/^<svg([^>]*?) style="[^"]*"/, '<svg$1');
  doc.save();
  SVGtoPDF(doc, svg, x, top, { width: f.width, height, assumePt: true, warningCallback: ignoreWarning });
  doc.restore();

  doc.font(F.regular).fontSize(text.size);
  const natural = doc.widthOfString(f.latex);
  const scaling = text.fit && natural > 0 ? Math.max(1, Math.min(100, (100 * f.width) / natural)) : 100;
  const left = text.fit ? x : Math.max(MARGIN.left, x + (f.width - natural) / 2);
  const ascender = ((doc as unknown as { _font: { ascender: number } })._font.ascender / 1000) * text.size;
  doc.save();
  doc.addContent('3 Tr');
  doc.text(f.latex, left, text.baseline - ascender, { lineBreak: false, horizontalScaling: scaling } as PDFKit.Mixins.TextOptions);
  doc.restore();
}

/** A formula printed as its LaTeX source, in monospace and grey, on lines of its own (§16.3); never dropped. */
export function formulaSource(doc: Doc, latex: string, box: Box, align: 'left' | 'center' = 'left'): void {
  doc
    .font(F.mono)
    .fontSize(BODY - 1.5)
    .fillColor('#333');
  const lines = monoLines(doc, latex || ' ', box.width - 1);
  doc.text(lines.join('\n'), box.x, doc.y, { width: box.width, align: lines.length > 1 ? 'left' : align });
  doc.fillColor('black').font(F.regular).fontSize(BODY);
  doc.x = box.x;
}

/** A display formula: centred on its own line, or its source when it cannot be rendered. */
export function renderDisplayFormula(doc: Doc, latex: string, box: Box, render: FormulaRenderer | undefined): void {
  doc.moveDown(0.2);
  const placed = placeFormula(render, latex, true, BODY * 1.1, box.width);
  if (!placed) formulaSource(doc, latex, box, 'center');
  else {
    const height = placed.ascent + placed.depth;
    if (doc.y + height > doc.page.height - MARGIN.bottom) doc.addPage();
    const top = doc.y;
    drawFormula(doc, placed, box.x + (box.width - placed.width) / 2, top, { baseline: top + placed.ascent, size: BODY, fit: false });
    doc.x = box.x;
    doc.y = top + height;
  }
  doc.moveDown(0.6);
}
