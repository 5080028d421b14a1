import { describe, expect, it } from 'vitest';
import { scoreItem } from '../../src/items/scorer.ts';
import { buildItem, MAP_RESPONSE_URL, MATCH_CORRECT_URL, template } from './qtiFactories.ts';

const choice = (max = 1) =>
  `<qti-choice-interaction response-identifier="RESPONSE" max-choices="${max}">${['A', 'B', 'C', 'D']
    .map((id) => `<qti-simple-choice identifier="${id}">${id}</qti-simple-choice>`)
    .join('')}</qti-choice-interaction>`;
const textEntry = (id = 'RESPONSE') => `<p>Svar: <qti-text-entry-interaction response-identifier="${id}"/></p>`;

describe('match_correct', () => {
  const item = buildItem({
    declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"><qti-correct-response><qti-value>B</qti-value></qti-correct-response></qti-response-declaration>`,
    body: choice(),
    processing: template(MATCH_CORRECT_URL),
  });

  it('gives 1 for the correct choice and 0 for a wrong one or none', () => {
    expect(scoreItem(item, { RESPONSE: 'B' })).toEqual({ score: 1, maxScore: 1, manual: false });
    expect(scoreItem(item, { RESPONSE: 'A' }).score).toBe(0);
    expect(scoreItem(item, {}).score).toBe(0);
  });

  it('recognises the short template name and the URL without .xml', () => {
    for (const t of ['match_correct', 'https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct']) {
      const it2 = buildItem({
        declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"><qti-correct-response><qti-value>B</qti-value></qti-correct-response></qti-response-declaration>`,
        body: choice(),
        processing: template(t),
      });
      expect(scoreItem(it2, { RESPONSE: 'B' }).score).toBe(1);
    }
  });

  it('uses a declared MAXSCORE as the maximum', () => {
    const it2 = buildItem({
      declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"><qti-correct-response><qti-value>B</qti-value></qti-correct-response></qti-response-declaration>`,
      outcomes: `<qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/><qti-outcome-declaration identifier="MAXSCORE" cardinality="single" base-type="float"><qti-default-value><qti-value>1</qti-value></qti-default-value></qti-outcome-declaration>`,
      body: choice(),
      processing: template(MATCH_CORRECT_URL),
    });
    expect(scoreItem(it2, { RESPONSE: 'B' })).toEqual({ score: 1, maxScore: 1, manual: false });
  });

  it('compares multiple responses as a set and ordered responses as a sequence', () => {
    const multi = buildItem({
      declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="identifier"><qti-correct-response><qti-value>A</qti-value><qti-value>C</qti-value></qti-correct-response></qti-response-declaration>`,
      body: choice(0),
      processing: template(MATCH_CORRECT_URL),
    });
    expect(scoreItem(multi, { RESPONSE: ['C', 'A'] }).score).toBe(1);
    expect(scoreItem(multi, { RESPONSE: ['A', 'C', 'D'] }).score).toBe(0);
    const ordered = buildItem({
      declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="ordered" base-type="identifier"><qti-correct-response><qti-value>C</qti-value><qti-value>A</qti-value><qti-value>B</qti-value></qti-correct-response></qti-response-declaration>`,
      body: `<qti-order-interaction response-identifier="RESPONSE"><qti-simple-choice identifier="A">a</qti-simple-choice><qti-simple-choice identifier="B">b</qti-simple-choice><qti-simple-choice identifier="C">c</qti-simple-choice></qti-order-interaction>`,
      processing: template(MATCH_CORRECT_URL),
    });
    expect(scoreItem(ordered, { RESPONSE: ['C', 'A', 'B'] }).score).toBe(1);
    expect(scoreItem(ordered, { RESPONSE: ['A', 'C', 'B'] }).score).toBe(0);
  });

  it('scores an integer text entry by value, so " 05" equals 5 and letters score 0', () => {
    const int = buildItem({
      declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="integer"><qti-correct-response><qti-value>5</qti-value></qti-correct-response></qti-response-declaration>`,
      body: textEntry(),
      processing: template(MATCH_CORRECT_URL),
    });
    expect(scoreItem(int, { RESPONSE: ' 05' }).score).toBe(1);
    expect(scoreItem(int, { RESPONSE: 'fem' }).score).toBe(0);
  });
});

describe('map_response', () => {
  const multiple = (mapping: string, max = 0) =>
    buildItem({
      declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="identifier"><qti-correct-response><qti-value>A</qti-value><qti-value>C</qti-value></qti-correct-response>${mapping}</qti-response-declaration>`,
      body: choice(max),
      processing: template(MAP_RESPONSE_URL),
    });
  const entries = `<qti-map-entry map-key="A" mapped-value="1"/><qti-map-entry map-key="B" mapped-value="-1"/><qti-map-entry map-key="C" mapped-value="1.5"/><qti-map-entry map-key="D" mapped-value="-1"/>`;

  it('gives partial credit and counts a repeated value once', () => {
    const item = multiple(`<qti-mapping default-value="0">${entries}</qti-mapping>`);
    expect(scoreItem(item, { RESPONSE: ['A'] }).score).toBe(1);
    expect(scoreItem(item, { RESPONSE: ['A', 'A'] }).score).toBe(1);
    expect(scoreItem(item, { RESPONSE: ['A', 'C'] })).toEqual({ score: 2.5, maxScore: 2.5, manual: false });
    expect(scoreItem(item, { RESPONSE: ['A', 'B'] }).score).toBe(0);
  });

  it('clamps to lower-bound so wrong ticks never go below it', () => {
    const item = multiple(`<qti-mapping lower-bound="0" default-value="0">${entries}</qti-mapping>`);
    expect(scoreItem(item, { RESPONSE: ['B', 'D'] }).score).toBe(0);
    const unbounded = multiple(`<qti-mapping default-value="0">${entries}</qti-mapping>`);
    expect(scoreItem(unbounded, { RESPONSE: ['B', 'D'] }).score).toBe(-2);
  });

  it('clamps to upper-bound, and the maximum is capped by it', () => {
    const item = multiple(`<qti-mapping lower-bound="0" upper-bound="2" default-value="0">${entries}</qti-mapping>`);
    expect(scoreItem(item, { RESPONSE: ['A', 'C'] })).toEqual({ score: 2, maxScore: 2, manual: false });
  });

  it('adds default-value for an unmapped response', () => {
    const item = multiple(`<qti-mapping default-value="-0.5"><qti-map-entry map-key="A" mapped-value="1"/></qti-mapping>`);
    expect(scoreItem(item, { RESPONSE: ['A', 'D'] }).score).toBe(0.5);
  });

  it('takes only the best max-choices entries for the maximum', () => {
    const item = multiple(
      `<qti-mapping default-value="0"><qti-map-entry map-key="A" mapped-value="1"/><qti-map-entry map-key="B" mapped-value="3"/><qti-map-entry map-key="C" mapped-value="2"/></qti-mapping>`,
      2,
    );
    expect(scoreItem(item, {}).maxScore).toBe(5);
  });

  const spelling = (caseSensitive: string) =>
    buildItem({
      declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string"><qti-mapping default-value="0"><qti-map-entry map-key="60'erne" mapped-value="1"/><qti-map-entry map-key="60’erne" mapped-value="1"/><qti-map-entry map-key="Æbleskiver" mapped-value="2" ${caseSensitive}/></qti-mapping></qti-response-declaration>`,
      body: textEntry(),
      processing: template(MAP_RESPONSE_URL),
    });

  it('accepts each listed spelling variant (straight and typographic apostrophe)', () => {
    const item = spelling('');
    expect(scoreItem(item, { RESPONSE: "60'erne" }).score).toBe(1);
    expect(scoreItem(item, { RESPONSE: '60’erne' }).score).toBe(1);
    expect(scoreItem(item, { RESPONSE: '60erne' }).score).toBe(0);
  });

  it('is case-sensitive by default and case-insensitive only when an entry says so', () => {
    expect(scoreItem(spelling(''), { RESPONSE: 'æbleskiver' }).score).toBe(0);
    expect(scoreItem(spelling('case-sensitive="true"'), { RESPONSE: 'æbleskiver' }).score).toBe(0);
    expect(scoreItem(spelling('case-sensitive="false"'), { RESPONSE: 'æbleskiver' }).score).toBe(2);
    expect(scoreItem(spelling('case-sensitive="false"'), { RESPONSE: 'ÆBLESKIVER' }).score).toBe(2);
  });

  it('trims surrounding whitespace of a text entry', () => {
    expect(scoreItem(spelling(''), { RESPONSE: '  Æbleskiver \n' }).score).toBe(2);
    expect(scoreItem(spelling(''), { RESPONSE: '   ' }).score).toBe(0);
  });

  it('scores æøå the same whether typed composed or decomposed (NFC)', () => {
    const decomposed = 'A\u030Abo';
    const item = buildItem({
      declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string"><qti-mapping default-value="0"><qti-map-entry map-key="Åbo" mapped-value="1"/></qti-mapping></qti-response-declaration>`,
      body: textEntry(),
      processing: template(MAP_RESPONSE_URL),
    });
    expect(decomposed).not.toBe('Åbo');
    expect(scoreItem(item, { RESPONSE: decomposed }).score).toBe(1);
    expect(scoreItem(item, { RESPONSE: 'Åbo' }).score).toBe(1);
  });
});

describe('pairs', () => {
  const matchItem = (baseType: string) =>
    buildItem({
      declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="${baseType}"><qti-correct-response><qti-value>H S</qti-value><qti-value>L V</qti-value></qti-correct-response><qti-mapping default-value="0"><qti-map-entry map-key="H S" mapped-value="1"/><qti-map-entry map-key="L V" mapped-value="1"/></qti-mapping></qti-response-declaration>`,
      body: `<qti-match-interaction response-identifier="RESPONSE" max-associations="2"><qti-simple-match-set><qti-simple-associable-choice identifier="H" match-max="1">hus</qti-simple-associable-choice><qti-simple-associable-choice identifier="L" match-max="1">løbe</qti-simple-associable-choice></qti-simple-match-set><qti-simple-match-set><qti-simple-associable-choice identifier="S" match-max="1">navneord</qti-simple-associable-choice><qti-simple-associable-choice identifier="V" match-max="1">udsagnsord</qti-simple-associable-choice></qti-simple-match-set></qti-match-interaction>`,
      processing: template(MAP_RESPONSE_URL),
    });

  it('directedPair: order inside a pair matters', () => {
    const item = matchItem('directedPair');
    expect(scoreItem(item, { RESPONSE: ['H S', 'L V'] }).score).toBe(2);
    expect(scoreItem(item, { RESPONSE: ['S H', 'V L'] }).score).toBe(0);
    expect(scoreItem(item, { RESPONSE: ['H  S'] }).score).toBe(1);
  });

  it('pair: "S H" is the same pair as "H S"', () => {
    const item = matchItem('pair');
    expect(scoreItem(item, { RESPONSE: ['S H', 'V L'] })).toEqual({ score: 2, maxScore: 2, manual: false });
  });
});

describe('responses and manual grading', () => {
  const item = buildItem({
    declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"><qti-correct-response><qti-value>B</qti-value></qti-correct-response></qti-response-declaration>`,
    body: choice(),
    processing: template(MATCH_CORRECT_URL),
  });

  it('refuses an undeclared identifier and a list for a single response', () => {
    expect(() => scoreItem(item, { ANSWER: 'B' })).toThrow('"ANSWER" is not a response of item t');
    expect(() => scoreItem(item, { RESPONSE: ['A', 'B'] })).toThrow('"RESPONSE" takes one value, got 2');
  });

  it('reports extended text as manual with score 0, whatever was written', () => {
    const essay = buildItem({
      declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string"/>`,
      body: `<qti-extended-text-interaction response-identifier="RESPONSE"/>`,
    });
    expect(scoreItem(essay, { RESPONSE: 'En lang tekst om sommerferien.' })).toEqual({ score: 0, maxScore: 0, manual: true });
  });
});
