// imsmanifest.xml and qti-assessment-test: which files are items, and how the test is split into
// parts with their navigation mode and time limit. Paths are resolved here and checked against escaping
// the package, because an href is author input like any other.
import { posix } from 'node:path';
import type { Problem } from './model.ts';
import { attr, child, children, descendants, lineOf, nameOf, parseXml } from './xml.ts';

export interface Manifest {
  itemFiles: string[];
  testFile: string | null;
}

export interface TestPart {
  identifier: string;
  navigationMode: 'linear' | 'nonlinear';
  /** qti-time-limits max-time in seconds; null when the part is untimed. */
  maxTimeSeconds: number | null;
  itemFiles: string[];
}

export interface AssessmentTest {
  identifier: string;
  title: string;
  parts: TestPart[];
}

/** A package path from `href` relative to `baseFile`'s folder, or null if it is absolute or leaves the package. */
export function resolveHref(baseFile: string, href: string): string | null {
  if (href === '' || href.startsWith('/') || href.includes('\\') || /^[a-z][a-z0-9+.-]*:/i.test(href)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(href);
  } catch {
    return null;
  }
  if (decoded.includes('\\') || decoded.includes('\0')) return null;
  const joined = posix.normalize(posix.join(posix.dirname(baseFile), decoded));
  return joined.startsWith('../') || joined === '..' || joined.startsWith('/') ? null : joined;
}

export function readManifest(text: string, file: string): { manifest: Manifest | null; problems: Problem[] } {
  const parsed = parseXml(text, file);
  if (!parsed.ok) return { manifest: null, problems: parsed.problems };
  if (nameOf(parsed.root) !== 'manifest') {
    return {
      manifest: null,
      problems: [{ file, line: lineOf(parsed.root), message: `expected <manifest>, found <${nameOf(parsed.root)}>` }],
    };
  }
  const problems: Problem[] = [];
  const itemFiles: string[] = [];
  const testFiles: string[] = [];
  for (const el of descendants(parsed.root)) {
    if (nameOf(el) !== 'resource') continue;
    const type = attr(el, 'type') ?? '';
    const isItem = type.startsWith('imsqti_item');
    if (!isItem && !type.startsWith('imsqti_test')) continue;
    const href = attr(el, 'href');
    const path = href === null ? null : resolveHref(file, href);
    if (path === null) {
      problems.push({ file, line: lineOf(el), message: `resource href "${href ?? ''}" is missing, absolute or outside the package` });
      continue;
    }
    (isItem ? itemFiles : testFiles).push(path);
  }
  if (testFiles.length > 1) problems.push({ file, line: null, message: `the package has ${testFiles.length} assessment tests; one is supported` });
  if (itemFiles.length === 0) problems.push({ file, line: lineOf(parsed.root), message: 'the manifest lists no item resources' });
  return { manifest: problems.length ? null : { itemFiles, testFile: testFiles[0] ?? null }, problems };
}

export function readAssessmentTest(text: string, file: string): { test: AssessmentTest | null; problems: Problem[] } {
  const parsed = parseXml(text, file);
  if (!parsed.ok) return { test: null, problems: parsed.problems };
  const root = parsed.root;
  if (nameOf(root) !== 'qti-assessment-test') {
    return { test: null, problems: [{ file, line: lineOf(root), message: `expected <qti-assessment-test>, found <${nameOf(root)}>` }] };
  }
  const problems: Problem[] = [];
  const parts: TestPart[] = [];
  for (const partEl of children(root, 'qti-test-part')) {
    const mode = attr(partEl, 'navigation-mode');
    if (mode !== 'linear' && mode !== 'nonlinear') {
      problems.push({
        file,
        line: lineOf(partEl),
        message: `<qti-test-part> navigation-mode must be linear or nonlinear, found "${mode ?? ''}"`,
      });
    }
    const limits = child(partEl, 'qti-time-limits');
    const rawMax = limits ? attr(limits, 'max-time') : null;
    const maxTime = rawMax === null ? null : Number(rawMax);
    if (maxTime !== null && !(Number.isFinite(maxTime) && maxTime > 0)) {
      problems.push({
        file,
        line: limits ? lineOf(limits) : lineOf(partEl),
        message: `max-time "${rawMax ?? ''}" is not a positive number of seconds`,
      });
    }
    const itemFiles: string[] = [];
    for (const ref of descendants(partEl)) {
      if (nameOf(ref) !== 'qti-assessment-item-ref') continue;
      const path = resolveHref(file, attr(ref, 'href') ?? '');
      if (path === null)
        problems.push({
          file,
          line: lineOf(ref),
          message: `item ref href "${attr(ref, 'href') ?? ''}" is missing, absolute or outside the package`,
        });
      else itemFiles.push(path);
    }
    parts.push({
      identifier: attr(partEl, 'identifier') ?? `part${parts.length + 1}`,
      navigationMode: mode === 'nonlinear' ? 'nonlinear' : 'linear',
      maxTimeSeconds: maxTime !== null && Number.isFinite(maxTime) && maxTime > 0 ? Math.round(maxTime) : null,
      itemFiles,
    });
  }
  if (parts.length === 0) problems.push({ file, line: lineOf(root), message: 'the test has no <qti-test-part>' });
  const test = { identifier: attr(root, 'identifier') ?? file, title: attr(root, 'title') ?? '', parts };
  return { test: problems.length ? null : test, problems };
}
