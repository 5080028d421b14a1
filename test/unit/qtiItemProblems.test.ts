import { describe, expect, it } from 'vitest';
import { parseItem } from '../../src/items/itemParser.ts';
import { templateName } from '../../src/items/processingParser.ts';
import { itemXml, MATCH_CORRECT_URL, template } from './qtiFactories.ts';

const RESPONSE = `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"><qti-correct-response><qti-value>A</qti-value></qti-correct-response></qti-response-declaration>`;
const CHOICE = `<qti-choice-interaction response-identifier="RESPONSE"><qti-simple-choice identifier="A">a</qti-simple-choice></qti-choice-interaction>`;

describe('item problems', () => {
  it('reports malformed XML with the line of the error', () => {
    const xml = '<?xml version="1.0"?>\n<qti-assessment-item identifier="x">\n  <qti-item-body>\n    <p>tekst</b>\n  </qti-item-body>\n</qti-assessment-item>';
    const { item, problems } = parseItem(xml, 'items/brudt.xml');
    expect(item).toBeNull();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'items/brudt.xml', line: 4 });
    expect(problems[0].message).toMatch(/^malformed XML: /);
  });

  it('reports an interaction whose response-identifier has no declaration', () => {
    const xml = itemXml({
      declarations: RESPONSE,
      body: `${CHOICE}\n<p><qti-text-entry-interaction response-identifier="SVAR2"/></p>`,
      processing: template(MATCH_CORRECT_URL),
    });
    const { item, problems } = parseItem(xml, 'q.xml');
    expect(item).toBeNull();
    expect(problems).toEqual([{ file: 'q.xml', line: 6, message: 'response-identifier "SVAR2" has no <qti-response-declaration>' }]);
  });

  it('refuses an unsupported interaction by name and line, even next to supported ones', () => {
    const xml = itemXml({
      declarations: RESPONSE,
      body: `${CHOICE}\n<qti-hotspot-interaction response-identifier="RESPONSE"/>`,
      processing: template(MATCH_CORRECT_URL),
    });
    const { item, problems } = parseItem(xml, 'q.xml');
    expect(item).toBeNull();
    expect(problems).toEqual([{ file: 'q.xml', line: 6, message: 'unsupported interaction <qti-hotspot-interaction>: the item cannot be delivered' }]);
  });

  it('refuses a key naming a choice that does not exist', () => {
    const wrongKey = RESPONSE.replace('<qti-value>A</qti-value>', '<qti-value>Z</qti-value>');
    const { problems } = parseItem(itemXml({ declarations: wrongKey, body: CHOICE, processing: template(MATCH_CORRECT_URL) }), 'q.xml');
    expect(problems.map((p) => p.message)).toEqual(['RESPONSE refers to "Z", which is no choice of the interaction on line 5']);
  });

  it('refuses an unknown operator and an unknown template instead of scoring 0', () => {
    const custom = `<qti-response-processing>\n<qti-set-outcome-value identifier="SCORE"><qti-random><qti-variable identifier="RESPONSE"/></qti-random></qti-set-outcome-value></qti-response-processing>`;
    expect(parseItem(itemXml({ declarations: RESPONSE, body: CHOICE, processing: custom }), 'q.xml').problems).toEqual([
      { file: 'q.xml', line: 7, message: 'unsupported expression <qti-random> in response processing' },
    ]);
    expect(
      parseItem(itemXml({ declarations: RESPONSE, body: CHOICE, processing: template('https://example.org/rptemplates/cc2_match_basic.xml') }), 'q.xml')
        .problems,
    ).toEqual([{ file: 'q.xml', line: 6, message: 'unsupported response processing template "https://example.org/rptemplates/cc2_match_basic.xml"' }]);
  });

  it('refuses map_response without a mapping and a record cardinality', () => {
    expect(parseItem(itemXml({ declarations: RESPONSE, body: CHOICE, processing: template('map_response') }), 'q.xml').problems).toEqual([
      { file: 'q.xml', line: 3, message: 'map_response needs a <qti-mapping> on RESPONSE' },
    ]);
    const record = `<qti-response-declaration identifier="RESPONSE" cardinality="record"/>`;
    expect(parseItem(itemXml({ declarations: record, body: '<p/>' }), 'q.xml').problems[0].message).toBe(
      '<qti-response-declaration> with unsupported cardinality "record"',
    );
  });

  it('recognises template URLs of QTI 3.0 and 2.x and the short names', () => {
    expect(templateName('https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml')).toBe('match_correct');
    expect(templateName('https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response')).toBe('map_response');
    expect(templateName('http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response')).toBe('map_response');
    expect(templateName('match_correct')).toBe('match_correct');
    expect(templateName('map_response_point')).toBeNull();
  });

  it('keeps mixed content in order around an inline interaction', () => {
    const { item } = parseItem(
      itemXml({
        declarations: RESPONSE.replace('identifier"', 'identifier"'),
        body: `<p>Jeg har <qti-inline-choice-interaction response-identifier="RESPONSE"><qti-inline-choice identifier="A">lagt</qti-inline-choice></qti-inline-choice-interaction> bogen.</p>`,
        processing: template('match_correct'),
      }),
      'q.xml',
    );
    expect(item?.interactions).toEqual([{ kind: 'inlineChoice', responseIdentifier: 'RESPONSE', choiceIdentifiers: ['A'], maxChoices: 1, line: 5 }]);
  });
});
