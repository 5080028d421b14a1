// A QTI content package (ZIP) to checked items, all or nothing. The limits exist because packages come
// from outside: a path with "../" could overwrite files when extracted elsewhere, and a small ZIP can
// expand to gigabytes (a "zip bomb") and take the exam server down on the day.
import { unzipSync, type UnzipFileInfo } from 'fflate';
import type { Item, Problem } from './model.ts';
import { parseItem } from './itemParser.ts';
import { readAssessmentTest, readManifest, type AssessmentTest } from './manifest.ts';

export interface PackageLimits {
  maxZipBytes: number;
  maxFileBytes: number;
  maxTotalBytes: number;
  maxEntries: number;
  maxItems: number;
}

export const DEFAULT_LIMITS: PackageLimits = {
  maxZipBytes: 50 * 1024 * 1024,
  maxFileBytes: 10 * 1024 * 1024,
  maxTotalBytes: 100 * 1024 * 1024,
  maxEntries: 2000,
  maxItems: 500,
};

export interface QtiPackage {
  items: Item[];
  test: AssessmentTest | null;
}

export type PackageResult = { ok: true; pkg: QtiPackage } | { ok: false; problems: Problem[] };

/** What a check reports: the items that were read, how many item files were examined, and every problem. */
export interface PackageInspection {
  itemCount: number;
  items: Item[];
  test: AssessmentTest | null;
  problems: Problem[];
}

/** Why an entry name is unsafe, or null. ZIP names are "/"-separated; a backslash or drive letter is refused too. */
export function unsafeEntryName(name: string): string | null {
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.startsWith('\\')) return 'an absolute path';
  if (name.split(/[/\\]/).includes('..')) return 'a path with "../"';
  if (name.includes('\0')) return 'a NUL character';
  return null;
}

/**
 * Reads and checks a package. The central directory is inspected before anything is inflated; fflate
 * inflates each entry into a buffer of its declared size, so a lying header truncates (and the XML then
 * fails to parse) instead of expanding past the limits.
 */
export function readPackage(zip: Uint8Array, zipName = 'package.zip', limits: PackageLimits = DEFAULT_LIMITS): PackageResult {
  const seen = inspectPackage(zip, zipName, limits);
  // Nothing half-imported: one problem anywhere refuses the whole package.
  return seen.problems.length > 0 ? { ok: false, problems: seen.problems } : { ok: true, pkg: { items: seen.items, test: seen.test } };
}

/** Reads as much as can safely be read, for reporting; use readPackage to import. */
export function inspectPackage(zip: Uint8Array, zipName = 'package.zip', limits: PackageLimits = DEFAULT_LIMITS): PackageInspection {
  if (zip.byteLength > limits.maxZipBytes) {
    return refused([{ file: zipName, line: null, message: `the ZIP is ${zip.byteLength} bytes; the limit is ${limits.maxZipBytes}`, limit: true }]);
  }
  const entries: UnzipFileInfo[] = [];
  try {
    unzipSync(zip, { filter: (f) => (entries.push(f), false) });
  } catch (err) {
    return fail(zipName, `not a readable ZIP: ${String(err instanceof Error ? err.message : err)}`);
  }
  const problems: Problem[] = [];
  let total = 0;
  for (const e of entries) {
    const why = unsafeEntryName(e.name);
    if (why) problems.push({ file: e.name, line: null, message: `refused: ${why}` });
    if (e.originalSize > limits.maxFileBytes) {
      problems.push({ file: e.name, line: null, message: `the file is ${e.originalSize} bytes; the limit is ${limits.maxFileBytes}`, limit: true });
    }
    total += e.originalSize;
  }
  if (entries.length > limits.maxEntries)
    problems.push({ file: zipName, line: null, message: `the ZIP has ${entries.length} entries; the limit is ${limits.maxEntries}`, limit: true });
  if (total > limits.maxTotalBytes)
    problems.push({ file: zipName, line: null, message: `the ZIP expands to ${total} bytes; the limit is ${limits.maxTotalBytes}`, limit: true });
  if (problems.length > 0) return refused(problems);

  // Only XML is inflated for checking; media is copied later by the importer under the same limits.
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, { filter: (f) => f.name.endsWith('.xml') });
  } catch (err) {
    return fail(zipName, `not a readable ZIP: ${String(err instanceof Error ? err.message : err)}`);
  }
  return readXmlFiles(files, zipName, limits);
}

function readXmlFiles(files: Record<string, Uint8Array>, zipName: string, limits: PackageLimits): PackageInspection {
  const text = (name: string) => (files[name] ? new TextDecoder('utf-8', { fatal: false }).decode(files[name]) : null);
  const manifestText = text('imsmanifest.xml');
  if (manifestText === null) return fail(zipName, 'the package has no imsmanifest.xml at its root');
  const { manifest, problems } = readManifest(manifestText, 'imsmanifest.xml');
  if (!manifest) return refused(problems);
  if (manifest.itemFiles.length > limits.maxItems) {
    return refused([
      { file: 'imsmanifest.xml', line: null, message: `the package lists ${manifest.itemFiles.length} items; the limit is ${limits.maxItems}`, limit: true },
    ]);
  }
  const items: Item[] = [];
  for (const file of manifest.itemFiles) {
    const xml = text(file);
    if (xml === null) {
      problems.push({ file: 'imsmanifest.xml', line: null, message: `item ${file} is listed but not in the package` });
      continue;
    }
    const parsed = parseItem(xml, file);
    problems.push(...parsed.problems);
    if (parsed.item) items.push(parsed.item);
  }
  let test: AssessmentTest | null = null;
  if (manifest.testFile) {
    const xml = text(manifest.testFile);
    const read = xml === null ? null : readAssessmentTest(xml, manifest.testFile);
    if (!read) problems.push({ file: 'imsmanifest.xml', line: null, message: `test ${manifest.testFile} is listed but not in the package` });
    else {
      problems.push(...read.problems);
      test = read.test;
      for (const ref of test?.parts.flatMap((p) => p.itemFiles) ?? []) {
        if (!manifest.itemFiles.includes(ref))
          problems.push({ file: manifest.testFile, line: null, message: `item ref ${ref} is not an item resource of the manifest` });
      }
    }
  }
  return { itemCount: manifest.itemFiles.length, items, test, problems };
}

function refused(problems: Problem[]): PackageInspection {
  return { itemCount: 0, items: [], test: null, problems };
}

function fail(file: string, message: string): PackageInspection {
  return refused([{ file, line: null, message }]);
}
