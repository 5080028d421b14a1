import { existsSync } from 'node:fs';
import path from 'node:path';

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
