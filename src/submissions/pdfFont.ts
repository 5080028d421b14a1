import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { create, type Font } from 'fontkit';
import type { Doc } from './pdfStyle.ts';

/** The four faces the answer PDF embeds; DejaVu covers æøå and the math symbols pupils type. */
export interface FontFiles {
  regular: string;
  bold: string;
  italic: string;
  boldItalic: string;
  /** For a formula printed as its LaTeX source (docs/rules.md §16.3). */
  mono: string;
}

// Debian/Ubuntu `fonts-dejavu-core` (installed in CI and the production image). No configuration:
// a missing font is an installation fault, reported with the package to install.
const CANDIDATE_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu', '/usr/local/share/fonts/dejavu'];

export class FontMissingError extends Error {}

/** Finds the DejaVu Sans faces, or throws naming the package to install. */
export function findPdfFonts(dirs: readonly string[] = CANDIDATE_DIRS): FontFiles {
  for (const dir of dirs) {
    const files = {
      regular: path.join(dir, 'DejaVuSans.ttf'),
      bold: path.join(dir, 'DejaVuSans-Bold.ttf'),
      italic: path.join(dir, 'DejaVuSans-Oblique.ttf'),
      boldItalic: path.join(dir, 'DejaVuSans-BoldOblique.ttf'),
      mono: path.join(dir, 'DejaVuSansMono.ttf'),
    };
    if (Object.values(files).every((f) => existsSync(f))) return files;
  }
  throw new FontMissingError(
    `DejaVu Sans was not found in ${dirs.join(', ')}: install the Debian package ` +
      '`fonts-dejavu-core` (apt-get install fonts-dejavu-core); answer PDFs embed it so æøå and math symbols render.',
  );
}

/** Each face parsed once per thread, keyed by file. */
const parsed = new Map<string, Font>();

/**
 * Registers the faces on a new PDF, parsed once per thread instead of once per PDF: pdfkit parses a font file it is
 * given with fontkit every time, and in a hand-in storm that parsing was half of a PDF worker's time (~60 ms of
 * every PDF, docs/performance.md). pdfkit takes a parsed fontkit font as well (its types do not say so); each PDF
 * still embeds its own subset, and a parsed font only caches what it has read.
 */
export function registerPdfFonts(doc: Doc, names: Record<keyof FontFiles, string>, files: FontFiles): void {
  for (const face of Object.keys(names) as (keyof FontFiles)[]) {
    let font = parsed.get(files[face]);
    if (!font) {
      const f = create(readFileSync(files[face]));
      if (!('layout' in f)) throw new Error(`${files[face]} is a font collection, not a single face`);
      font = f;
      parsed.set(files[face], font);
    }
    doc.registerFont(names[face], font as unknown as Uint8Array);
  }
}
