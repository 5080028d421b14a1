import { describe, expect, it } from 'vitest';
import { scoreItem } from '../../src/items/scorer.ts';
import { buildItem } from './qtiFactories.ts';

const decl = (id: string, card: string, base: string, inner = '') =>
  `<qti-response-declaration identifier="${id}" cardinality="${card}" base-type="${base}">${inner}</qti-response-declaration>`;
const correct = (...vs: string[]) => `<qti-correct-response>${vs.map((v) => `<qti-value>${v}</qti-value>`).join('')}</qti-correct-response>`;
const set = (value: string) => `<qti-set-outcome-value identifier="SCORE">${value}</qti-set-outcome-value>`;
const num = (n: number) => `<qti-base-value base-type="float">${n}</qti-base-value>`;
const v = (id: string) => `<qti-variable identifier="${id}"/>`;
const rp = (rules: string) => `<qti-response-processing>${rules}</qti-response-processing>`;
const choices = (id = 'RESPONSE', max = 0) =>
  `<qti-choice-interaction response-identifier="${id}" max-choices="${max}">${['A', 'B', 'C']
    .map((c) => `<qti-simple-choice identifier="${c}">${c}</qti-simple-choice>`)
    .join('')}</qti-choice-interaction>`;
const entry = (id: string) => `<qti-text-entry-interaction response-identifier="${id}"/>`;

describe('custom response processing', () => {
  it('qti-response-if / else-if / else picks the first true branch', () => {
    const item = buildItem({
      declarations: decl('RESPONSE', 'multiple', 'identifier', correct('A', 'B')),
      body: choices(),
      processing: rp(`<qti-response-condition>
        <qti-response-if><qti-match>${v('RESPONSE')}<qti-correct identifier="RESPONSE"/></qti-match>${set(num(3))}</qti-response-if>
        <qti-response-else-if><qti-member><qti-base-value base-type="identifier">A</qti-base-value>${v('RESPONSE')}</qti-member>${set(num(1))}</qti-response-else-if>
        <qti-response-else>${set(num(-1))}</qti-response-else>
      </qti-response-condition>`),
    });
    expect(scoreItem(item, { RESPONSE: ['B', 'A'] })).toEqual({ score: 3, maxScore: 3, manual: false });
    expect(scoreItem(item, { RESPONSE: ['A', 'C'] }).score).toBe(1);
    expect(scoreItem(item, { RESPONSE: ['C'] }).score).toBe(-1);
    // NULL makes qti-match and qti-member NULL, which is false: the else branch runs.
    expect(scoreItem(item, {}).score).toBe(-1);
  });

  it('qti-is-null is true for no response and for an all-blank text entry', () => {
    const item = buildItem({
      declarations: decl('RESPONSE', 'single', 'string', correct('hus')),
      body: entry('RESPONSE'),
      processing: rp(
        `<qti-response-condition><qti-response-if><qti-is-null>${v('RESPONSE')}</qti-is-null>${set(num(0))}</qti-response-if><qti-response-else>${set(num(1))}</qti-response-else></qti-response-condition>`,
      ),
    });
    expect(scoreItem(item, {}).score).toBe(0);
    expect(scoreItem(item, { RESPONSE: '  ' }).score).toBe(0);
    expect(scoreItem(item, { RESPONSE: 'x' }).score).toBe(1);
  });

  it('qti-string-match honours case-sensitive and compares NFC', () => {
    const item = (cs: string) =>
      buildItem({
        declarations: decl('RESPONSE', 'single', 'string', correct('Åbenrå')),
        body: entry('RESPONSE'),
        processing: rp(
          `<qti-response-condition><qti-response-if><qti-string-match case-sensitive="${cs}">${v('RESPONSE')}<qti-correct identifier="RESPONSE"/></qti-string-match>${set(num(1))}</qti-response-if></qti-response-condition>`,
        ),
      });
    expect(scoreItem(item('true'), { RESPONSE: 'åbenrå' }).score).toBe(0);
    expect(scoreItem(item('false'), { RESPONSE: 'åbenrå' }).score).toBe(1);
    // "Å" typed as A + combining ring (U+030A) is the same text after NFC.
    expect(scoreItem(item('true'), { RESPONSE: 'A\u030Abenra\u030A ' }).score).toBe(1);
  });

  it('qti-sum of qti-map-response gives each text entry its own mapping', () => {
    const mapping = (key: string) => `<qti-mapping default-value="0"><qti-map-entry map-key="${key}" mapped-value="1" case-sensitive="false"/></qti-mapping>`;
    const item = buildItem({
      declarations: decl('E', 'single', 'string', correct('bogen') + mapping('bogen')) + decl('F', 'single', 'string', correct('bøgerne') + mapping('bøgerne')),
      body: `<p>${entry('E')} og ${entry('F')}</p>`,
      processing: rp(set(`<qti-sum><qti-map-response identifier="E"/><qti-map-response identifier="F"/></qti-sum>`)),
    });
    expect(scoreItem(item, { E: 'Bogen', F: 'bøgerne' })).toEqual({ score: 2, maxScore: 2, manual: false });
    expect(scoreItem(item, { E: 'bogen' }).score).toBe(1);
    expect(scoreItem(item, {}).score).toBe(0);
  });

  it('qti-sum of a NULL operand is NULL, and a NULL SCORE counts as 0', () => {
    const item = buildItem({
      declarations: decl('N', 'single', 'integer', correct('2')),
      body: entry('N'),
      processing: rp(set(`<qti-sum>${v('N')}${num(1)}</qti-sum>`)),
    });
    expect(scoreItem(item, { N: '2' }).score).toBe(3);
    expect(scoreItem(item, {}).score).toBe(0);
  });

  it('qti-variable reads an outcome set by an earlier rule', () => {
    const item = buildItem({
      declarations: decl('RESPONSE', 'single', 'identifier', correct('A')),
      body: choices('RESPONSE', 1),
      outcomes: `<qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/><qti-outcome-declaration identifier="BONUS" cardinality="single" base-type="float"><qti-default-value><qti-value>0.5</qti-value></qti-default-value></qti-outcome-declaration>`,
      processing: rp(
        `<qti-response-condition><qti-response-if><qti-match>${v('RESPONSE')}<qti-correct identifier="RESPONSE"/></qti-match>${set(`<qti-sum>${num(1)}${v('BONUS')}</qti-sum>`)}</qti-response-if></qti-response-condition>`,
      ),
    });
    expect(scoreItem(item, { RESPONSE: 'A' })).toEqual({ score: 1.5, maxScore: 1.5, manual: false });
  });
});
