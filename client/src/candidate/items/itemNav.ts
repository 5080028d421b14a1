import { h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import { mayGo, type DeliveryPart } from './delivery.ts';

export interface NavInput {
  part: DeliveryPart;
  /** The open part's index and how many parts the test has. */
  partIndex: number;
  partCount: number;
  position: number;
  go(to: number): void;
  moveOn(): void;
}

/**
 * Below the item: "previous" (non-linear parts only) and "next"; on a part's last item, the way on to the next
 * part. Leaving a part before its time is up is final, so that button asks once, in the page, before it moves on.
 */
export function renderItemNav(o: NavInput): HTMLElement {
  const { part, position } = o;
  const prev = h(
    'button',
    { type: 'button', id: 'item-prev', disabled: !mayGo(part, position, position - 1), onclick: () => o.go(position - 1) },
    tr('← Forrige', '← Previous'),
  );
  const next = h(
    'button',
    { type: 'button', class: 'primary', id: 'item-next', disabled: !mayGo(part, position, position + 1), onclick: () => o.go(position + 1) },
    tr('Næste →', 'Next →'),
  );
  const nav = h('div', { class: 'item-nav' }, part.navigationMode === 'linear' ? null : prev, next);
  if (position === part.itemIds.length - 1 && o.partIndex < o.partCount - 1) nav.append(moveOnButton(o.partIndex + 1, o.moveOn));
  return nav;
}

function moveOnButton(n: number, moveOn: () => void): HTMLElement {
  const confirm = h('p', { class: 'move-on-confirm', hidden: true }, tr(`Du kan ikke vende tilbage til del ${n}. `, `You cannot return to part ${n}. `));
  const yes = h('button', { type: 'button', class: 'primary', id: 'move-on-confirm', onclick: moveOn }, tr('Ja, gå videre', 'Yes, move on'));
  const ask = h('button', { type: 'button', id: 'move-on' }, tr(`Afslut del ${n} og gå til del ${n + 1}`, `Finish part ${n} and go to part ${n + 1}`));
  const no = h('button', { type: 'button' }, tr('Bliv her', 'Stay here'));
  ask.addEventListener('click', () => {
    confirm.hidden = false;
    yes.focus();
  });
  no.addEventListener('click', () => {
    confirm.hidden = true;
    ask.focus();
  });
  confirm.append(yes, ' ', no);
  return h('div', { class: 'move-on' }, ask, confirm);
}
