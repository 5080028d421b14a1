import { h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import { childrenOf, textOf } from './content.ts';
import { ordered, responseOf, type InteractionContext } from './context.ts';

/**
 * qti-gap-match-interaction without dragging: the words to choose from are listed, and each gap in the text is
 * a labelled select of them. The response is the set of directed pairs "WORD GAP".
 */
export function renderGapMatch(el: Element, ctx: InteractionContext): HTMLElement {
  const r = responseOf(ctx, el);
  const prompt = childrenOf(el).find((c) => c.localName === 'qti-prompt');
  const words = ordered(
    ctx,
    el,
    childrenOf(el).filter((c) => c.localName === 'qti-gap-text'),
  );
  const gapCount = el.getElementsByTagNameNS('*', 'qti-gap').length;
  const wordOf = (gap: string) =>
    r
      .list()
      .map((p) => p.split(' '))
      .find(([, g]) => g === gap)?.[0] ?? '';
  const selects: { gap: string; select: HTMLSelectElement }[] = [];
  const onChange = () => r.set(selects.filter((s) => s.select.value).map((s) => `${s.select.value} ${s.gap}`));
  const text = ctx.content(el, (q) => {
    if (q.localName === 'qti-prompt' || q.localName === 'qti-gap-text') return null; // shown above
    if (q.localName !== 'qti-gap') return undefined;
    const gap = q.getAttribute('identifier') ?? '';
    const n = selects.length + 1;
    const select = h(
      'select',
      { class: 'gap', 'aria-label': tr(`Hul ${n} af ${gapCount}`, `Gap ${n} of ${gapCount}`), disabled: ctx.readOnly, onchange: onChange },
      h('option', { value: '' }, tr(`– hul ${n} –`, `– gap ${n} –`)),
      ...words.map((w) => {
        const id = w.getAttribute('identifier') ?? '';
        return h('option', { value: id, selected: id === wordOf(gap) }, textOf(w));
      }),
    );
    selects.push({ gap, select });
    return select;
  });
  return h(
    'fieldset',
    { class: 'interaction gap-match-interaction' },
    h('legend', {}, prompt ? ctx.content(prompt) : tr('Udfyld hullerne', 'Fill in the gaps')),
    h('p', { class: 'hint' }, tr('Vælg et ord i hvert hul. Ordene: ', 'Choose a word for each gap. The words: '), words.map((w) => textOf(w)).join(', ')),
    h('div', { class: 'gap-text' }, text),
  );
}
