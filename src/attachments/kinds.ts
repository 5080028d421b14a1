import { ATTACHMENT_KINDS, type AttachmentKind } from '../protocol/attachments.ts';

/**
 * What a file is, as pure functions (docs/rules.md "Attachments"): the kind a pupil's file name claims, and the kind
 * its bytes prove. The claim only picks the profile rule; the bytes decide. SVG is never an image here: it can
 * carry script.
 */

const BY_EXTENSION: Record<string, AttachmentKind> = {
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gif: 'image',
  webp: 'image',
  pdf: 'pdf',
  ggb: 'ggb',
  xlsx: 'xlsx',
  ods: 'ods',
  docx: 'docx',
};

const BY_MIME: Record<string, AttachmentKind> = {
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/gif': 'image',
  'image/webp': 'image',
  'application/pdf': 'pdf',
  'application/vnd.geogebra.file': 'ggb',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

/** The Content-Type a finished attachment is stored and served with (downloads are attachments regardless). */
export const MIME_OF_KIND: Record<Exclude<AttachmentKind, 'image'>, string> = {
  pdf: 'application/pdf',
  ggb: 'application/vnd.geogebra.file',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export const isAttachmentKind = (s: unknown): s is AttachmentKind => typeof s === 'string' && (ATTACHMENT_KINDS as readonly string[]).includes(s);

const MAX_NAME_CHARS = 200;
const FALLBACK_NAME = 'vedhæftning';

/**
 * The name a file is listed under: everything up to the last `/` or `\` is dropped (a browser or a crafted client
 * may send a path), control characters and leading dots go, and a long name keeps its extension.
 */
export function fileNameOf(raw: string | null | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  // Control characters are exactly what is removed here.
  // eslint-disable-next-line no-control-regex
  const controls = /[\u0000-\u001f\u007f]/g;
  const clean = base.replace(controls, '').trim().replace(/^\.+/, '').trim();
  if (!clean) return FALLBACK_NAME;
  const chars = [...clean];
  if (chars.length <= MAX_NAME_CHARS) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
  return [...clean.slice(0, clean.length - ext.length)].slice(0, MAX_NAME_CHARS - ext.length).join('') + ext;
}

/** The kind a file claims: its name's extension, else its declared MIME type; null when neither is one we take. */
export function claimedKind(fileName: string, mimeType: string | null | undefined): AttachmentKind | null {
  const dot = fileName.lastIndexOf('.');
  const ext = dot >= 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  return BY_EXTENSION[ext] ?? BY_MIME[(mimeType ?? '').split(';')[0].trim().toLowerCase()] ?? null;
}

/** What content sniffing (file-type) said, plus the entry names of the ZIP's central directory when it is one. */
export interface SniffResult {
  ext: string | null;
  mime: string | null;
  zipEntries: string[] | null;
}

export interface Recognised {
  kind: AttachmentKind;
  mime: string;
}

const IMAGE_EXTS = new Set(['png', 'jpg', 'gif', 'webp']);

/**
 * The kind the bytes prove, or null. Office and GeoGebra files are ZIP archives told apart by their inner entries:
 * docx/xlsx by `[Content_Types].xml` with `word/` or `xl/` parts, ods by its `mimetype` entry, ggb by `geogebra.xml`.
 */
export function recognise(s: SniffResult): Recognised | null {
  if (s.ext && IMAGE_EXTS.has(s.ext) && s.mime) return { kind: 'image', mime: s.mime };
  if (s.ext === 'pdf') return { kind: 'pdf', mime: MIME_OF_KIND.pdf };
  const entries = new Set(s.zipEntries ?? []);
  const officeXml = entries.has('[Content_Types].xml');
  if (s.ext === 'docx' && officeXml && entries.has('word/document.xml')) return { kind: 'docx', mime: MIME_OF_KIND.docx };
  if (s.ext === 'xlsx' && officeXml && entries.has('xl/workbook.xml')) return { kind: 'xlsx', mime: MIME_OF_KIND.xlsx };
  if (s.ext === 'ods' && entries.has('mimetype') && entries.has('content.xml')) return { kind: 'ods', mime: MIME_OF_KIND.ods };
  if (s.ext === 'zip' && entries.has('geogebra.xml')) return { kind: 'ggb', mime: MIME_OF_KIND.ggb };
  return null;
}
