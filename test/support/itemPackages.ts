// QTI packages for the integration tests: the demo package, one with an image, and each kind of bad input.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { demoZip, itemXml, MANIFEST_ONE_ITEM, RETSKRIVNING, template, zipOf } from '../unit/qtiFactories.ts';

export { demoZip };

/** The demo package's files, to build variants from. */
export function demoFiles(): Record<string, string | Uint8Array> {
  const dir = RETSKRIVNING;
  const files: Record<string, string | Uint8Array> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else files[relative(dir, full).split(sep).join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return files;
}

export const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);

export const CHOICE_ITEM = itemXml({
  declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"><qti-correct-response><qti-value>A</qti-value></qti-correct-response></qti-response-declaration>`,
  body: `<qti-choice-interaction response-identifier="RESPONSE" max-choices="1"><qti-simple-choice identifier="A">a</qti-simple-choice><qti-simple-choice identifier="B">b</qti-simple-choice></qti-choice-interaction>`,
  processing: template('https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml'),
});

/** The demo package with a picture in the first item, referenced relative to the item file. */
export function demoWithImage(): Uint8Array {
  const files = demoFiles();
  files['items/q01-valg.xml'] = (files['items/q01-valg.xml'] as string).replace(
    '<qti-choice-interaction',
    '<p><img src="../media/kat%20og%20hund.png" alt="En kat"/><img src="https://evil.example/x.png" alt=""/></p><qti-choice-interaction',
  );
  files['media/kat og hund.png'] = PNG;
  return zipOf(files);
}

export const BAD_PACKAGES = {
  malformedXml: () => zipOf({ 'imsmanifest.xml': MANIFEST_ONE_ITEM('q.xml'), 'q.xml': CHOICE_ITEM.replace('</qti-item-body>', '</qti-itembody>') }),
  missingDeclaration: () =>
    zipOf({ 'imsmanifest.xml': MANIFEST_ONE_ITEM('q.xml'), 'q.xml': CHOICE_ITEM.replace(/<qti-response-declaration[\s\S]*?<\/qti-response-declaration>/, '') }),
  unknownInteraction: () => demoZip('unsupported'),
  dotDotPath: () => zipOf({ 'imsmanifest.xml': MANIFEST_ONE_ITEM('q.xml'), 'q.xml': CHOICE_ITEM, '../evil.xml': 'x' }),
  absolutePath: () => zipOf({ 'imsmanifest.xml': MANIFEST_ONE_ITEM('q.xml'), 'q.xml': CHOICE_ITEM, '/etc/evil.xml': 'x' }),
  fileOverLimit: () => zipOf({ 'imsmanifest.xml': MANIFEST_ONE_ITEM('q.xml'), 'q.xml': CHOICE_ITEM, 'big.mp3': new Uint8Array(11 * 1024 * 1024) }),
  tooManyItems: () => {
    const refs = Array.from({ length: 501 }, (_, i) => `<resource identifier="r${i}" type="imsqti_item_xmlv3p0" href="q${i}.xml"/>`).join('');
    return zipOf({ 'imsmanifest.xml': `<manifest identifier="m"><resources>${refs}</resources></manifest>`, 'q0.xml': CHOICE_ITEM });
  },
  expandsTooFar: () => {
    const files: Record<string, string | Uint8Array> = { 'imsmanifest.xml': MANIFEST_ONE_ITEM('q.xml'), 'q.xml': CHOICE_ITEM };
    const chunk = new Uint8Array(9 * 1024 * 1024);
    for (let i = 0; i < 12; i++) files[`fill${i}.wav`] = chunk;
    return zipOf(files);
  },
};

const EXTENDED_ITEM = (id: string) =>
  itemXml({
    declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string"/>`,
    body: `<p>Skriv.</p><qti-extended-text-interaction response-identifier="RESPONSE"/>`,
  }).replace('identifier="t" title="t"', `identifier="${id}" title="Skriv"`);

/** A test whose part A (a1 choice, a2 extended text) lasts `seconds`; part B (b1 choice) is untimed. */
export function timedPackage(seconds: number): Uint8Array {
  const choice = (id: string) => CHOICE_ITEM.replace('identifier="t" title="t"', `identifier="${id}" title="Vælg"`);
  const res = (id: string) => `<resource identifier="${id}" type="imsqti_item_xmlv3p0" href="${id}.xml"/>`;
  return zipOf({
    'imsmanifest.xml': `<manifest identifier="m"><resources><resource identifier="t" type="imsqti_test_xmlv3p0" href="test.xml"/>${res('a1')}${res('a2')}${res('b1')}</resources></manifest>`,
    'test.xml': `<qti-assessment-test identifier="t" title="t">
  <qti-test-part identifier="A" navigation-mode="linear"><qti-time-limits max-time="${seconds}"/>
    <qti-assessment-section identifier="s1"><qti-assessment-item-ref identifier="a1" href="a1.xml"/><qti-assessment-item-ref identifier="a2" href="a2.xml"/></qti-assessment-section>
  </qti-test-part>
  <qti-test-part identifier="B" navigation-mode="nonlinear">
    <qti-assessment-section identifier="s2"><qti-assessment-item-ref identifier="b1" href="b1.xml"/></qti-assessment-section>
  </qti-test-part>
</qti-assessment-test>`,
    'a1.xml': choice('a1'),
    'a2.xml': EXTENDED_ITEM('a2'),
    'b1.xml': choice('b1'),
  });
}
