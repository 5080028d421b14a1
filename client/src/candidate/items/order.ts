import { announce, h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import { childrenOf, textOf } from './content.ts';
import { ordered, responseOf, type InteractionContext } from './context.ts';
import { moveItem } from './delivery.ts';

/**
 * qti-order-interaction without dragging: a numbered list with "move up" and "move down" buttons on each entry.
 * Until the pupil moves something there is no response (the shown order is the item's, not the pupil's answer).
 */
export function renderOrder(el: Element, ctx: InteractionContext): HTMLElement {
  const r = responseOf(ctx, el);
  const prompt = childrenOf(el).find((c) => c.localName === 'qti-prompt');
  const choices = new Map(
    childrenOf(el)
      .filter((c) => c.localName === 'qti-simple-choice')
      .map((c) => [c.getAttribute('identifier') ?? '', c]),
  );
  const initial = ordered(ctx, el, [...choices.values()]).map((c) => c.getAttribute('identifier') ?? '');
  const stored = r.list().filter((id) => choices.has(id));
  let order = stored.length === initial.length ? stored : initial;
  const list = h('ol', { class: 'order-list' });
  const status = h('p', { class: 'hint' });

  const render = (focus?: { id: string; dir: 'up' | 'down' }) => {
    list.replaceChildren(
      ...order.map((id, i) => {
        const label = textOf(choices.get(id)!);
        const button = (dir: 'up' | 'down') =>
          h(
            'button',
            {
              type: 'button',
              class: 'move',
              'data-dir': dir,
              disabled: ctx.readOnly || (dir === 'up' ? i === 0 : i === order.length - 1),
              'aria-label': dir === 'up' ? tr(`Flyt «${label}» op`, `Move “${label}” up`) : tr(`Flyt «${label}» ned`, `Move “${label}” down`),
              onclick: () => move(i, dir),
            },
            dir === 'up' ? '↑' : '↓',
          );
        return h('li', { class: 'order-item', 'data-id': id }, h('span', { class: 'order-text' }, ctx.content(choices.get(id)!)), button('up'), button('down'));
      }),
    );
    status.textContent = stored.length || r.list().length ? '' : tr('Du har ikke flyttet noget endnu.', 'You have not moved anything yet.');
    if (focus) {
      const item = list.querySelector<HTMLElement>(`li[data-id="${CSS.escape(focus.id)}"]`);
      // Focus stays on the moved entry; at the list's end the other button still moves it back.
      const b =
        item?.querySelector<HTMLButtonElement>(`button[data-dir="${focus.dir}"]:not(:disabled)`) ??
        item?.querySelector<HTMLButtonElement>('button:not(:disabled)');
      b?.focus();
    }
  };
  const move = (i: number, dir: 'up' | 'down') => {
    if (ctx.readOnly) return;
    const id = order[i];
    order = moveItem(order, i, dir === 'up' ? -1 : 1);
    r.set(order);
    const place = order.indexOf(id) + 1;
    announce(
      tr(`«${textOf(choices.get(id)!)}» er nu nummer ${place} af ${order.length}`, `“${textOf(choices.get(id)!)}” is now number ${place} of ${order.length}`),
    );
    render({ id, dir });
  };
  render();
  return h(
    'fieldset',
    { class: 'interaction order-interaction' },
    h('legend', {}, prompt ? ctx.content(prompt) : tr('Sæt i rækkefølge', 'Put in order')),
    h('p', { class: 'hint' }, tr('Brug knapperne ↑ og ↓ til at flytte ordene.', 'Use the ↑ and ↓ buttons to move the words.')),
    list,
    status,
  );
}
