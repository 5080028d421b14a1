/**
 * The entry names of a ZIP archive from its end: the end-of-central-directory record (within the last 64 KiB + 22
 * bytes, APPNOTE 4.3.16) points at the central directory, which names every entry. Reading the directory rather than
 * the local headers finds `geogebra.xml` wherever GeoGebra put it, without reading the whole file.
 */

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_MIN = 22;
/** The most bytes of the file's end that can hold the EOCD record (its comment is at most 65,535 bytes). */
export const ZIP_TAIL_BYTES = EOCD_MIN + 0xffff;
/** More entries than any document we take; a directory claiming more is not read. */
const MAX_ENTRIES = 10_000;

/** Where the central directory lies, from the file's last bytes; null when there is no EOCD record. */
export function centralDirectoryOf(tail: Uint8Array, fileSize: number): { offset: number; size: number; count: number } | null {
  const v = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
    if (v.getUint32(i, true) !== EOCD_SIGNATURE) continue;
    const count = v.getUint16(i + 10, true);
    const size = v.getUint32(i + 12, true);
    const offset = v.getUint32(i + 16, true);
    if (offset + size > fileSize || count > MAX_ENTRIES) return null;
    return { offset, size, count };
  }
  return null;
}

/** The names in a central directory's bytes; stops (keeping what it read) at the first malformed record. */
export function entryNamesOf(directory: Uint8Array, count: number): string[] {
  const v = new DataView(directory.buffer, directory.byteOffset, directory.byteLength);
  const names: string[] = [];
  const utf8 = new TextDecoder('utf-8', { fatal: false });
  let p = 0;
  for (let n = 0; n < count && p + 46 <= directory.length; n++) {
    if (v.getUint32(p, true) !== CENTRAL_SIGNATURE) break;
    const nameLength = v.getUint16(p + 28, true);
    const extraLength = v.getUint16(p + 30, true);
    const commentLength = v.getUint16(p + 32, true);
    if (p + 46 + nameLength > directory.length) break;
    names.push(utf8.decode(directory.subarray(p + 46, p + 46 + nameLength)));
    p += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
