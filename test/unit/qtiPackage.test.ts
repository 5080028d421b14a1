import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, readPackage } from '../../src/items/packageReader.ts';
import { leakedKeys, stripForPupil } from '../../src/items/pupilView.ts';
import { parseItem } from '../../src/items/itemParser.ts';
import { scoreItem } from '../../src/items/scorer.ts';
import { demoZip, itemXml, MANIFEST_ONE_ITEM, RETSKRIVNING, template, zipOf } from './qtiFactories.ts';

const ITEM = itemXml({
  declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"><qti-correct-response><qti-value>A</qti-value></qti-correct-response></qti-response-declaration>`,
  body: `<qti-choice-interaction response-identifier="RESPONSE"><qti-simple-choice identifier="A">a</qti-simple-choice></qti-choice-interaction>`,
  processing: template('match_correct'),
});

describe('reading the demo package', () => {
  it('reads 13 items and a test with two timed parts', () => {
    const result = readPackage(demoZip(), 'retskrivning.zip');
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.pkg.items).toHaveLength(13);
    expect(result.pkg.test?.parts.map((p) => [p.identifier, p.navigationMode, p.maxTimeSeconds, p.itemFiles.length])).toEqual([
      ['del1', 'linear', 1800, 8],
      ['del2', 'nonlinear', 2700, 5],
    ]);
  });

  it('scores the spelling item from the package with both apostrophes', () => {
    const result = readPackage(demoZip());
    if (!result.ok) throw new Error('demo refused');
    const item = result.pkg.items.find((i) => i.identifier === 'q03-tresserne');
    if (!item) throw new Error('q03 missing');
    expect(scoreItem(item, { RESPONSE: "60'erne" }).score).toBe(1);
    expect(scoreItem(item, { RESPONSE: '60’erne' }).score).toBe(1);
    expect(scoreItem(item, { RESPONSE: 'Tresserne' }).score).toBe(1);
  });

  it('refuses the package with a slider interaction as a whole', () => {
    const result = readPackage(demoZip('unsupported'), 'unsupported.zip');
    expect(result).toEqual({
      ok: false,
      problems: [{ file: 'items/skyder.xml', line: 17, message: 'unsupported interaction <qti-slider-interaction>: the item cannot be delivered' }],
    });
  });
});

describe('package limits', () => {
  it('refuses a ZIP entry with "../" and an absolute path, importing nothing', () => {
    const zip = zipOf({ 'imsmanifest.xml': MANIFEST_ONE_ITEM('q.xml'), 'q.xml': ITEM, '../../etc/cron.d/x': 'x', '/abs.xml': ITEM });
    const result = readPackage(zip);
    expect(result).toEqual({
      ok: false,
      problems: [
        { file: '../../etc/cron.d/x', line: null, message: 'refused: a path with "../"' },
        { file: '/abs.xml', line: null, message: 'refused: an absolute path' },
      ],
    });
  });

  it('refuses a manifest href that leaves the package', () => {
    const result = readPackage(zipOf({ 'imsmanifest.xml': MANIFEST_ONE_ITEM('../q.xml'), 'q.xml': ITEM }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0].message).toBe('resource href "../q.xml" is missing, absolute or outside the package');
  });

  it('refuses more than 500 items', () => {
    const resources = Array.from({ length: 501 }, (_, i) => `<resource identifier="r${i}" type="imsqti_item_xmlv3p0" href="q${i}.xml"/>`).join('');
    const manifest = `<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"><resources>${resources}</resources></manifest>`;
    expect(readPackage(zipOf({ 'imsmanifest.xml': manifest }))).toEqual({
      ok: false,
      problems: [{ file: 'imsmanifest.xml', line: null, message: 'the package lists 501 items; the limit is 500', limit: true }],
    });
  });

  it('refuses a small ZIP that expands beyond the total limit (zip bomb) before inflating it', () => {
    const zeros = new Uint8Array(256 * 1024);
    const files: Record<string, Uint8Array | string> = { 'imsmanifest.xml': MANIFEST_ONE_ITEM('q.xml'), 'q.xml': ITEM };
    for (let i = 0; i < 8; i++) files[`media/blank${i}.bin`] = zeros;
    const zip = zipOf(files);
    expect(zip.byteLength).toBeLessThan(20 * 1024);
    const total = 8 * zeros.length + ITEM.length + MANIFEST_ONE_ITEM('q.xml').length;
    expect(readPackage(zip, 'bomb.zip', { ...DEFAULT_LIMITS, maxTotalBytes: 1024 * 1024 })).toEqual({
      ok: false,
      problems: [{ file: 'bomb.zip', line: null, message: `the ZIP expands to ${total} bytes; the limit is ${1024 * 1024}`, limit: true }],
    });
  });

  it('never inflates past a size the ZIP header understates: the truncated item is refused', () => {
    const zip = zipOf({ 'imsmanifest.xml': MANIFEST_ONE_ITEM('q.xml'), 'q.xml': ITEM });
    understateSize(zip, 'q.xml', 40);
    const result = readPackage(zip);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ file: 'q.xml', message: expect.stringMatching(/^malformed XML: /) });
  });

  it('refuses a file over the per-file limit', () => {
    const zip = zipOf({ 'imsmanifest.xml': MANIFEST_ONE_ITEM('q.xml'), 'q.xml': ITEM, 'video.mp4': new Uint8Array(2048) });
    expect(readPackage(zip, 'p.zip', { ...DEFAULT_LIMITS, maxFileBytes: 1024 })).toEqual({
      ok: false,
      problems: [{ file: 'video.mp4', line: null, message: 'the file is 2048 bytes; the limit is 1024', limit: true }],
    });
  });

  it('refuses bytes that are not a ZIP and a package without a manifest', () => {
    expect(readPackage(new TextEncoder().encode('not a zip'), 'x.zip')).toMatchObject({
      ok: false,
      problems: [{ file: 'x.zip', line: null }],
    });
    expect(readPackage(zipOf({ 'q.xml': ITEM }), 'x.zip')).toEqual({
      ok: false,
      problems: [{ file: 'x.zip', line: null, message: 'the package has no imsmanifest.xml at its root' }],
    });
  });

  it('reports malformed XML inside a package with its file and line', () => {
    const result = readPackage(
      zipOf({ 'imsmanifest.xml': MANIFEST_ONE_ITEM('q.xml'), 'q.xml': '<qti-assessment-item>\n<qti-item-body>\n</qti-assessment-item>' }),
    );
    expect(result.ok).toBe(false);
    // xmldom points at the element left open, which is where the author has to look.
    if (!result.ok)
      expect(result.problems[0]).toEqual({
        file: 'q.xml',
        line: 2,
        message: 'malformed XML: Opening and ending tag mismatch: "qti-item-body" != "qti-assessment-item"',
      });
  });
});

describe('the pupil view', () => {
  it('removes keys, mappings, processing, outcome defaults, scorer rubrics and comments from every demo item', () => {
    const dir = join(RETSKRIVNING, 'items');
    for (const name of ['q02-flervalg.xml', 'q03-tresserne.xml', 'q09-stort-bogstav.xml', 'q11-komma.xml', 'q12-skriv.xml']) {
      const original = readFileSync(join(dir, name), 'utf8');
      const stripped = stripForPupil(original, name);
      expect(leakedKeys(original).length + (name === 'q12-skriv.xml' ? 1 : 0)).toBeGreaterThan(0);
      expect(leakedKeys(stripped)).toEqual([]);
      for (const word of [
        'qti-correct-response',
        'qti-mapping',
        'qti-area-mapping',
        'qti-response-processing',
        'qti-default-value',
        'map-key',
        'Stavevarianter',
        'Giv op til 4 point',
      ]) {
        expect(stripped).not.toContain(word);
      }
    }
  });

  it('keeps what the pupil needs: the interactions, their choices and the text around them', () => {
    const stripped = stripForPupil(readFileSync(join(RETSKRIVNING, 'items', 'q03-tresserne.xml'), 'utf8'));
    expect(stripped).toContain('Beatles var populære i <qti-text-entry-interaction response-identifier="RESPONSE" expected-length="10"/> (årene 1960–1969).');
    const { item, problems } = parseItem(stripped, 'stripped.xml');
    expect(problems).toEqual([]);
    expect(item?.responses[0].mapping).toBeNull();
    expect(item?.responses[0].correct).toEqual([]);
  });

  it('removes an area mapping too', () => {
    const xml = `<qti-assessment-item><qti-response-declaration identifier="R" cardinality="single" base-type="point"><qti-area-mapping default-value="0"><qti-area-map-entry shape="circle" coords="1,1,1" mapped-value="1"/></qti-area-mapping></qti-response-declaration></qti-assessment-item>`;
    expect(stripForPupil(xml)).not.toContain('area');
  });
});

/** Rewrites the uncompressed size of `name` in both ZIP headers, as a zip bomb would. */
function understateSize(zip: Uint8Array, name: string, size: number): void {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const nameAt = (offset: number, length: number) => new TextDecoder().decode(zip.subarray(offset, offset + length));
  for (let i = 0; i + 4 <= zip.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50 && nameAt(i + 30, view.getUint16(i + 26, true)) === name) view.setUint32(i + 22, size, true);
    if (sig === 0x02014b50 && nameAt(i + 46, view.getUint16(i + 28, true)) === name) view.setUint32(i + 24, size, true);
  }
}
