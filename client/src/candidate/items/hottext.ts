import { h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import { childrenOf, textOf, uid } from './content.ts';
import { responseOf, type InteractionContext } from './context.ts';

/**
 * qti-hottext-interaction: each selectable word in the text is a toggle button (aria-pressed), reached with Tab
 * and switched with Space or Enter. At max-choices, a further word is refused with a spoken hint.
 */
export function renderHottext(el: Element, ctx: InteractionContext): HTMLElement {
  const r = responseOf(ctx, el);
  const max = Number(el.getAttribute('max-choices') ?? '1');
  const prompt = childrenOf(el).find((c) => c.localName === 'qti-prompt');
  const buttons: HTMLButtonElement[] = [];
  const legendId = uid('hottext');
  const limit = h('p', { class: 'hint', role: 'status' });
  const refresh = () => {
    const chosen = r.list();
    for (const b of buttons) b.setAttribute('aria-pressed', String(chosen.includes(b.value)));
  };
  const toggle = (b: HTMLButtonElement) => {
    if (ctx.readOnly) return;
    const chosen = r.list();
    if (chosen.includes(b.value)) r.set(chosen.filter((x) => x !== b.value));
    else if (max > 0 && chosen.length >= max) {
      limit.textContent = tr(`Du kan højst vælge ${max}. Fravælg et andet ord først.`, `You can choose at most ${max}. Deselect another word first.`);
      return;
    } else r.set([...chosen, b.value]);
    limit.textContent = '';
    refresh();
  };
  const text = ctx.content(el, (q) => {
    if (q.localName === 'qti-prompt') return null;
    if (q.localName !== 'qti-hottext') return undefined;
    const b = h(
      'button',
      { type: 'button', class: 'hottext', value: q.getAttribute('identifier') ?? '', 'aria-disabled': ctx.readOnly ? 'true' : undefined },
      textOf(q),
    );
    b.addEventListener('click', () => toggle(b));
    buttons.push(b);
    return b;
  });
  refresh();
  return h(
    'div',
    { class: 'interaction hottext-interaction', role: 'group', 'aria-labelledby': legendId },
    h('p', { class: 'legend', id: legendId }, prompt ? ctx.content(prompt) : tr('Vælg ord i teksten', 'Choose words in the text')),
    h(
      'p',
      { class: 'hint' },
      max > 0
        ? tr(`Vælg højst ${max}. Valgte ord er markeret.`, `Choose at most ${max}. Chosen words are marked.`)
        : tr('Valgte ord er markeret.', 'Chosen words are marked.'),
    ),
    h('div', { class: 'hottext-text' }, text),
    limit,
  );
}
