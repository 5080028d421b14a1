import { h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import { childrenOf, uid } from './content.ts';
import { ordered, responseOf, type InteractionContext } from './context.ts';

/**
 * qti-choice-interaction: radio buttons for one choice (max-choices="1"), checkboxes otherwise, in a fieldset
 * whose legend is the prompt. At the maximum, the unticked boxes are disabled (and say why).
 */
export function renderChoice(el: Element, ctx: InteractionContext): HTMLElement {
  const r = responseOf(ctx, el);
  const max = Number(el.getAttribute('max-choices') ?? '1');
  const single = max === 1;
  const prompt = childrenOf(el).find((c) => c.localName === 'qti-prompt');
  const choices = ordered(
    ctx,
    el,
    childrenOf(el).filter((c) => c.localName === 'qti-simple-choice'),
  );
  const name = uid('choice');
  const hintId = `${name}-hint`;
  const hint = single
    ? null
    : h(
        'p',
        { class: 'hint', id: hintId },
        max > 1 ? tr(`Vælg højst ${max}.`, `Choose at most ${max}.`) : tr('Vælg et eller flere svar.', 'Choose one or more answers.'),
      );
  const inputs: HTMLInputElement[] = [];
  const refresh = () => {
    const chosen = r.list();
    for (const i of inputs) {
      i.checked = chosen.includes(i.value);
      i.disabled = ctx.readOnly || (!single && max > 0 && chosen.length >= max && !i.checked);
    }
  };
  const onChange = () => {
    const chosen = inputs.filter((i) => i.checked).map((i) => i.value);
    r.set(single ? chosen[0] : chosen);
    refresh();
  };
  const rows = choices.map((c) => {
    const input = h('input', { type: single ? 'radio' : 'checkbox', name, value: c.getAttribute('identifier') ?? '', id: uid('opt'), onchange: onChange });
    inputs.push(input);
    return h('li', { class: 'choice' }, input, h('label', { for: input.id }, ctx.content(c)));
  });
  refresh();
  return h(
    'fieldset',
    { class: 'interaction choice-interaction', 'aria-describedby': hint ? hintId : undefined },
    h('legend', {}, prompt ? ctx.content(prompt) : single ? tr('Vælg ét svar', 'Choose one answer') : tr('Vælg svar', 'Choose answers')),
    hint,
    h('ul', { class: 'choices' }, ...rows),
  );
}
