import { h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import { childrenOf, textOf, uid } from './content.ts';
import { ordered, responseOf, type InteractionContext } from './context.ts';

/**
 * qti-match-interaction without dragging: each choice of the first set gets a labelled select of the second
 * set's choices. The response is the set of directed pairs "SOURCE TARGET".
 */
export function renderMatch(el: Element, ctx: InteractionContext): HTMLElement {
  const r = responseOf(ctx, el);
  const sets = childrenOf(el).filter((c) => c.localName === 'qti-simple-match-set');
  const choicesOf = (set: Element | undefined) =>
    set
      ? ordered(
          ctx,
          el,
          childrenOf(set).filter((c) => c.localName === 'qti-simple-associable-choice'),
        )
      : [];
  const sources = choicesOf(sets[0]);
  const targets = choicesOf(sets[1]);
  const prompt = childrenOf(el).find((c) => c.localName === 'qti-prompt');
  const targetOf = (source: string) =>
    r
      .list()
      .map((p) => p.split(' '))
      .find(([s]) => s === source)?.[1] ?? '';
  const selects: { source: string; select: HTMLSelectElement }[] = [];
  const onChange = () => r.set(selects.filter((s) => s.select.value).map((s) => `${s.source} ${s.select.value}`));
  const rows = sources.map((s) => {
    const source = s.getAttribute('identifier') ?? '';
    const id = uid('match');
    const select = h(
      'select',
      { id, disabled: ctx.readOnly, onchange: onChange },
      h('option', { value: '' }, tr('– vælg –', '– choose –')),
      ...targets.map((t) => {
        const target = t.getAttribute('identifier') ?? '';
        return h('option', { value: target, selected: target === targetOf(source) }, textOf(t));
      }),
    );
    selects.push({ source, select });
    return h('li', { class: 'match-row' }, h('label', { for: id }, ctx.content(s)), select);
  });
  return h(
    'fieldset',
    { class: 'interaction match-interaction' },
    h('legend', {}, prompt ? ctx.content(prompt) : tr('Forbind de to kolonner', 'Match the two columns')),
    h('ul', { class: 'match-rows' }, ...rows),
  );
}
