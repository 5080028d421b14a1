import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';

/**
 * Small real files of each kind a pupil may attach, made here so no binary lives in the repository. Each is what its
 * program writes in the respects content sniffing looks at: magic bytes, and for ZIP-based files the inner entries.
 */

/** A 1×1 PNG (signature, IHDR, IDAT, IEND), padded with a tEXt chunk to `size` bytes if asked. */
export function png(padTo = 0): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]); // CRC unchecked by sniffers
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  const parts = [
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1])),
  ];
  const base = Buffer.concat(parts).length + 12 + 12;
  if (padTo > base) parts.push(chunk('tEXt', Buffer.concat([Buffer.from('Comment\0'), randomBytes(padTo - base - 8)])));
  parts.push(chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

export const pdf = (): Buffer => Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const zip = (files: Record<string, Uint8Array | [Uint8Array, { level: 0 }]>) => Buffer.from(zipSync(files, { level: 6 }));

export const docx = (): Buffer =>
  zip({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    '_rels/.rels': strToU8('<Relationships/>'),
    'word/document.xml': strToU8('<w:document/>'),
  });

export const xlsx = (): Buffer =>
  zip({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    ),
    '_rels/.rels': strToU8('<Relationships/>'),
    'xl/workbook.xml': strToU8('<workbook/>'),
  });

/** ODF puts an uncompressed `mimetype` entry first; sniffers read its text. */
export const ods = (): Buffer =>
  zip({
    mimetype: [strToU8('application/vnd.oasis.opendocument.spreadsheet'), { level: 0 }],
    'content.xml': strToU8('<office:document-content/>'),
    'META-INF/manifest.xml': strToU8('<manifest:manifest/>'),
  });

/** GeoGebra writes its thumbnail first; `geogebra.xml` can be anywhere. */
export const ggb = (padTo = 0): Buffer =>
  zip({
    'geogebra_thumbnail.png': [padTo ? randomBytes(padTo) : png(), { level: 0 }],
    'geogebra.xml': strToU8('<geogebra format="5.0"><construction/></geogebra>'),
    'geogebra_javascript.js': strToU8('function ggbOnInit() {}'),
  });

/** A ZIP that is none of the above. */
export const plainZip = (): Buffer => zip({ 'notes.txt': strToU8('hej') });

/** A PNG the browser really decodes (valid CRCs and pixels, unlike the sniffing fixture): 40×20, one colour. */
export function realPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])));
    return Buffer.concat([head, Buffer.from(type, 'latin1'), data, crc]);
  };
  const [w, h] = [40, 20];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, 0x40)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: h }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
