import { describe, expect, it } from 'vitest';
import { answerBlocks, isEmptyAnswer } from '../../src/submissions/answerDoc.ts';
import { referencedAttachments } from '../../src/submissions/answerImages.ts';
import { loadFormulaRenderer, MAX_FORMULA_NESTING, measureSvg, renderable } from '../../src/submissions/formulaSvg.ts';
import { formulaAnswer, inline } from '../support/formulaAnswers.ts';

/** The pure parts of formulas and attachment images in the PDF (docs/rules.md §16.3, §16.4). */
describe('which formulas go to MathJax', () => {
  it.each([
    ['a fraction', '\\frac{1}{2}', true],
    ['empty', '', false],
    ['blank', '   ', false],
    ['exactly 10 KB', 'x'.repeat(10 * 1024), true],
    ['one byte over 10 KB', 'x'.repeat(10 * 1024 + 1), false],
    ['over 10 KB in UTF-8 bytes, not characters', 'æ'.repeat(5 * 1024 + 1), false],
    ['nested to the limit', '{'.repeat(MAX_FORMULA_NESTING) + 'x' + '}'.repeat(MAX_FORMULA_NESTING), true],
    ['nested past the limit', '{'.repeat(MAX_FORMULA_NESTING + 1) + 'x' + '}'.repeat(MAX_FORMULA_NESTING + 1), false],
    ['escaped braces, which do not nest', '\\{'.repeat(200) + 'x', true],
  ])('%s → %s', (_name, latex, expected) => expect(renderable(latex as string)).toBe(expected));
});

describe('measureSvg', () => {
  it('reads width, ascent and depth in em from the viewBox (thousandths of an em, baseline at y = 0)', () => {
    const m = measureSvg('<svg viewBox="0 -864.9 793.6 1209.9"></svg>')!;
    expect(m.width).toBeCloseTo(0.7936, 6);
    expect(m.ascent).toBeCloseTo(0.8649, 6);
    expect(m.depth).toBeCloseTo(0.345, 6);
  });
  it.each(['<svg></svg>', '<svg viewBox="0 0 0 10"></svg>', '<svg viewBox="a b c d"></svg>'])('no usable viewBox: %s → null', (svg) =>
    expect(measureSvg(svg)).toBeNull(),
  );
});

describe('the renderer', () => {
  it('renders good LaTeX to SVG paths and refuses what MathJax flags or cannot finish, never throwing', async () => {
    const render = await loadFormulaRenderer();
    const half = render('\\frac{1}{2}', false);
    expect(half?.svg).toMatch(/^<svg[^>]*viewBox=/);
    expect(half?.svg).toContain('<path');
    expect(half!.ascent).toBeGreaterThan(0.5);
    expect(half!.depth).toBeGreaterThan(0.2);
    expect(render('æ + ø = å', true)).not.toBeNull(); // letters from the font's dynamic ranges, loaded up front
    for (const bad of ['\\frac{1', '\\def\\x{\\x}\\x', '\\nosuchcommand{y}', '}', '\\begin{matrix} 1', '{'.repeat(5000)])
      expect(render(bad, false), bad).toBeNull();
  }, 30_000);

  it('stops rendering once a PDF has spent its time budget: the rest is printed as source', async () => {
    const render = await loadFormulaRenderer(0);
    expect(render('x_{budget}', false)).not.toBeNull(); // the first fits in any budget
    expect(render('y_{budget}', false)).toBeNull();
    // A formula this worker rendered lately costs nothing and is drawn even past the budget.
    expect(render('x_{budget}', false)).not.toBeNull();
    expect((await loadFormulaRenderer())('y_{budget}', false)).not.toBeNull(); // a PDF over budget did not poison it
  }, 30_000);
});

describe('formulas and attachment images in the answer blocks', () => {
  it('reads inline and display formulas with their LaTeX, and images with their attachment id', () => {
    const blocks = answerBlocks(
      formulaAnswer(
        { p: [{ text: 'A er ' }, inline('\\pi r^2'), { image: { src: 'blob:x', attachmentId: 'u1' } }] },
        { display: '\\frac{1}{2}' },
        { image: { src: 'blob:y', attachmentId: 'u2' } },
        { image: { src: 'data:image/png;base64,AAAA' } },
      ),
    );
    expect(blocks).toEqual([
      {
        kind: 'paragraph',
        inlines: [
          { kind: 'text', text: 'A er ', bold: false, italic: false, underline: false, strike: false, code: false },
          { kind: 'formula', latex: '\\pi r^2' },
          { kind: 'image', src: 'blob:x', attachmentId: 'u1' },
        ],
      },
      { kind: 'formula', latex: '\\frac{1}{2}' },
      { kind: 'image', src: 'blob:y', attachmentId: 'u2' },
      { kind: 'image', src: 'data:image/png;base64,AAAA' },
    ]);
    expect(referencedAttachments(blocks)).toEqual(new Set(['u1', 'u2']));
  });

  it('an answer that is only a formula or an attachment image is not empty; an empty formula is', () => {
    expect(isEmptyAnswer(answerBlocks(formulaAnswer({ display: 'x' })))).toBe(false);
    expect(isEmptyAnswer(answerBlocks(formulaAnswer({ p: [inline('x')] })))).toBe(false);
    expect(isEmptyAnswer(answerBlocks(formulaAnswer({ image: { attachmentId: 'u1' } })))).toBe(false);
    expect(isEmptyAnswer(answerBlocks(formulaAnswer({ display: ' ' }, { p: [inline('')] })))).toBe(true);
  });
});
