import { h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import { responseOf, type InteractionContext } from './context.ts';

/**
 * qti-text-entry-interaction: a labelled text field inside the sentence. Every keystroke goes into the answer
 * document (merged by the sync before sending). No browser help that would answer a spelling question for the
 * pupil: no autocorrect, autocomplete or capitalisation, and spell-checking only where the sitting allows it.
 */
export function renderTextEntry(el: Element, ctx: InteractionContext, position: { n: number; of: number }): HTMLElement {
  const r = responseOf(ctx, el);
  const expected = Number(el.getAttribute('expected-length') ?? '0');
  const numeric = ['integer', 'float'].includes(ctx.baseType(r.id));
  const label =
    position.of > 1 ? tr(`Svarfelt ${position.n} af ${position.of}`, `Answer field ${position.n} of ${position.of}`) : tr('Dit svar', 'Your answer');
  const value = r.get();
  const input = h('input', {
    type: 'text',
    class: 'text-entry',
    'aria-label': label,
    value: typeof value === 'string' ? value : '',
    size: Math.min(40, Math.max(6, expected || 12)),
    // The server keeps no longer text value (src/items/responseRules.ts); the field stops there instead.
    maxLength: 2000,
    autocomplete: 'off',
    autocapitalize: 'off',
    autocorrect: 'off',
    spellcheck: String(ctx.spellCheck),
    inputmode: numeric ? 'decimal' : undefined,
    readOnly: ctx.readOnly,
  });
  // Written as typed, never trimmed here: the server scores what the pupil wrote (and normalises it there).
  input.addEventListener('input', () => r.set(input.value));
  return input;
}
