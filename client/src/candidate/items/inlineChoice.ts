import { h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import { childrenOf, textOf } from './content.ts';
import { ordered, responseOf, type InteractionContext } from './context.ts';

/** qti-inline-choice-interaction: a labelled select inside the sentence; its first option is "no answer". */
export function renderInlineChoice(el: Element, ctx: InteractionContext, position: { n: number; of: number }): HTMLElement {
  const r = responseOf(ctx, el);
  const choices = ordered(
    ctx,
    el,
    childrenOf(el).filter((c) => c.localName === 'qti-inline-choice'),
  );
  const current = r.get();
  const select = h(
    'select',
    {
      class: 'inline-choice',
      'aria-label':
        position.of > 1 ? tr(`Vælg ord ${position.n} af ${position.of}`, `Choose word ${position.n} of ${position.of}`) : tr('Vælg ord', 'Choose a word'),
      disabled: ctx.readOnly,
    },
    h('option', { value: '' }, tr('– vælg –', '– choose –')),
    ...choices.map((c) => {
      const id = c.getAttribute('identifier') ?? '';
      return h('option', { value: id, selected: id === current }, textOf(c));
    }),
  );
  select.addEventListener('change', () => r.set(select.value));
  return select;
}
