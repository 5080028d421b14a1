/** Fonts, sizes and margins shared by the answer PDF's page frame (pdfRenderer.ts) and its block layout (pdfBlocks.ts). */
export const F = { regular: 'Sans', bold: 'Sans-Bold', italic: 'Sans-Italic', boldItalic: 'Sans-BoldItalic' } as const;
export const BODY = 11;
export const MARGIN = { top: 78, bottom: 64, left: 62, right: 62 };
export type Doc = PDFKit.PDFDocument;
/** The horizontal band a block is laid out in (narrower inside quotes, lists and table cells). */
export interface Box {
  x: number;
  width: number;
}
