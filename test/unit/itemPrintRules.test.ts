import { describe, expect, it } from 'vitest';
import { graderScoreRefusal } from '../../src/items/graderScore.ts';
import { itemText } from '../../src/items/itemText.ts';

describe('grader scores (docs/rules.md §14.9)', () => {
  it('takes whole and half points up to the maximum, and an override only with a reason', () => {
    expect(graderScoreRefusal({ manual: true, maxScore: 4 }, 4, null)).toBeNull();
    expect(graderScoreRefusal({ manual: true, maxScore: 4 }, 3.5, null)).toBeNull();
    expect(graderScoreRefusal({ manual: true, maxScore: null }, 12, null)).toBeNull();
    expect(graderScoreRefusal({ manual: true, maxScore: 4 }, 4.5, null)?.da).toBe('Opgaven giver højst 4 point.');
    expect(graderScoreRefusal({ manual: true, maxScore: 4 }, 0.25, null)?.en).toMatch(/half points/);
    expect(graderScoreRefusal({ manual: true, maxScore: 4 }, -1, null)).not.toBeNull();
    expect(graderScoreRefusal({ manual: false, maxScore: 1 }, 0, null)?.da).toMatch(/begrundelse/);
    expect(graderScoreRefusal({ manual: false, maxScore: 1 }, 0, 'svaret stod i margenen')).toBeNull();
  });
});

describe('item text for the PDF (docs/rules.md §14.8)', () => {
  const xml = `<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="x" title="x">
  <qti-item-body>
    <qti-rubric-block view="scorer"><p>Svaret er B.</p></qti-rubric-block>
    <p>Vælg <b>det</b> rigtige.</p>
    <qti-choice-interaction response-identifier="R"><qti-prompt>Hvilket?</qti-prompt>
      <qti-simple-choice identifier="A">æble</qti-simple-choice><qti-simple-choice identifier="B">pære</qti-simple-choice>
    </qti-choice-interaction>
    <p>Et <qti-gap identifier="G1"/> og <qti-text-entry-interaction response-identifier="T"/>.</p>
  </qti-item-body></qti-assessment-item>`;

  it('writes the body as paragraphs with choices listed and gaps numbered, never the scorer rubric for the pupil', () => {
    const t = itemText(xml);
    expect(t.prompt).toEqual(['Vælg det rigtige.', 'Hvilket?', '– æble', '– pære', 'Et [hul 1] og [ _____ ] .']);
    expect(t.labels.get('R')).toEqual(
      new Map([
        ['A', 'æble'],
        ['B', 'pære'],
      ]),
    );
    expect(itemText(xml, { scorerNotes: true }).prompt[0]).toBe('Bedømmelsesvejledning: Svaret er B.');
  });

  it('prints nothing for malformed XML rather than half an item', () => {
    expect(itemText('<qti-assessment-item><qti-item-body><p>x</qti-item-body>').prompt).toEqual([]);
  });
});
