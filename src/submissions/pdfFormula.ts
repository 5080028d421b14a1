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
 * Draws a formula as vector paths with its top-left at (x, top), and its LaTeX as invisible text over it, so that text
 * extraction and screen readers get the source (docs/rules.md §16.3). pdftotext ignores ActualText; invisible text
 * (render mode 3) it reads, squeezed to the drawing's width so it does not run into the words after it.
 */
export function drawFormula(doc: Doc, f: PlacedFormula, x: number, top: number): void {
  const height = f.ascent + f.depth;
  // MathJax sizes the root <svg> in ex and aligns it with CSS; give it the size in points the layout decided.
  const svg = f.art.svg
    .replace(/^<svg([^>]*?) width="[^"]*"/, `<svg$1 width="${f.width}"`)
    .replace(/^<svg([^>]*?) height="[^"]*"/, `<svg$1 height="${height}"`)
    .replace(/^<svg([^>]*?) style="[^"]*"/, '<svg$1');
  doc.save();
  SVGtoPDF(doc, svg, x, top, { width: f.width, height, assumePt: true, warningCallback: ignoreWarning });
  doc.restore();
  hiddenText(doc, f.latex, x, top, f.width, height);
}

function hiddenText(doc: Doc, text: string, x: number, top: number, width: number, height: number): void {
  const size = Math.max(1, Math.min(BODY, height * 0.8));
  doc.font(F.regular).fontSize(size);
  const natural = doc.widthOfString(text);
  const scaling = natural > 0 ? Math.max(1, Math.min(100, (100 * width) / natural)) : 100;
  doc.save();
  doc.addContent('3 Tr');
  doc.text(text, x, top + (height - size) / 2, { lineBreak: false, horizontalScaling: scaling } as PDFKit.Mixins.TextOptions);
  doc.addContent('0 Tr');
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
    drawFormula(doc, placed, box.x + (box.width - placed.width) / 2, top);
    doc.x = box.x;
    doc.y = top + height;
  }
  doc.moveDown(0.6);
}
