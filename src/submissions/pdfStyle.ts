/** Fonts, sizes and margins shared by the answer PDF's page frame (pdfRenderer.ts) and its block layout (pdfBlocks.ts). */
export const F = { regular: 'Sans', bold: 'Sans-Bold', italic: 'Sans-Italic', boldItalic: 'Sans-BoldItalic', mono: 'Mono' } as const;
export const BODY = 11;
export const MARGIN = { top: 78, bottom: 64, left: 62, right: 62 };
export type Doc = PDFKit.PDFDocument;
/** The horizontal band a block is laid out in (narrower inside quotes, lists and table cells). */
export interface Box {
  x: number;
  width: number;
}

/**
 * What the block layout draws besides text: formulas (formulaSvg.ts; without a renderer they are printed as source)
 * and the pupil's attachment images by attachment id (docs/rules.md §16.4), opened once and drawn from that object.
 */
export interface Art {
  formula?: import('./formulaSvg.ts').FormulaRenderer;
  attachmentImage?: (doc: Doc, id: string) => OpenedImage | null;
  /** The file name a pupil gave an attachment, for the placeholder of one that cannot be drawn. */
  attachmentName?: (id: string) => string | undefined;
}
/** An image pdfkit has opened (pdfkit draws it from this object and embeds its bytes once however often it is drawn). */
export type OpenedImage = { width: number; height: number };
