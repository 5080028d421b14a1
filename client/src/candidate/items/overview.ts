import { h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import { overviewCounts, type DeliveryPart } from './delivery.ts';

export interface OverviewInput {
  parts: readonly DeliveryPart[];
  titles: ReadonlyMap<string, string>;
  current: number;
  position: number;
  /** Items whose parts are over, and the index of the part, to say "over" beside them. */
  over: (partIndex: number) => boolean;
  answered: (item: string) => boolean;
  flags: ReadonlySet<string>;
  go: (index: number) => void;
}

/**
 * The overview beside the item: every item of the open part with its state (answered, unanswered, flagged for
 * review) in words, not only colour. In a non-linear part each entry opens the item; in a linear part it only
 * shows the state, since items already left cannot be opened again.
 */
export function renderOverview(o: OverviewInput): HTMLElement {
  const part = o.parts[o.current];
  const nav = h('nav', { class: 'item-overview', 'aria-labelledby': 'overview-title' }, h('h2', { id: 'overview-title' }, tr('Oversigt', 'Overview')));
  if (!part) return nav;
  const c = overviewCounts(part.itemIds, o.answered, o.flags);
  nav.append(
    h(
      'p',
      { id: 'overview-counts' },
      tr(
        `${c.answered} besvaret · ${c.unanswered} ubesvaret · ${c.flagged} markeret`,
        `${c.answered} answered · ${c.unanswered} unanswered · ${c.flagged} flagged`,
      ),
    ),
  );
  const linear = part.navigationMode === 'linear';
  const list = h('ol', { class: 'overview-items' });
  part.itemIds.forEach((id, i) => {
    const answered = o.answered(id);
    const flagged = o.flags.has(id);
    const state = [answered ? tr('besvaret', 'answered') : tr('ubesvaret', 'unanswered'), flagged ? tr('markeret til gennemsyn', 'flagged for review') : '']
      .filter(Boolean)
      .join(', ');
    const label = `${i + 1}. ${o.titles.get(id) ?? id}`;
    const content = [
      h('span', { class: 'ov-label' }, label),
      h('span', { class: 'ov-state' }, ` – ${state}`),
      flagged ? h('span', { 'aria-hidden': 'true' }, ' ⚑') : null,
    ];
    const cls = `ov-item ${answered ? 'answered' : 'unanswered'}${flagged ? ' flagged' : ''}`;
    const current = i === o.position ? 'step' : undefined;
    list.append(
      h(
        'li',
        { 'data-item': id },
        linear
          ? h('span', { class: cls, 'aria-current': current }, ...content)
          : h('button', { type: 'button', class: cls, 'aria-current': current, onclick: () => o.go(i) }, ...content),
      ),
    );
  });
  nav.append(list);
  if (linear) nav.append(h('p', { class: 'hint' }, tr('I denne del kan du ikke gå tilbage til en opgave.', 'In this part you cannot go back to an item.')));
  if (o.parts.length > 1) {
    nav.append(
      h(
        'ul',
        { class: 'overview-parts' },
        ...o.parts.map((p, i) =>
          h(
            'li',
            {},
            tr(`Del ${i + 1}: `, `Part ${i + 1}: `),
            i === o.current ? tr('i gang', 'in progress') : o.over(i) ? tr('afsluttet', 'closed') : tr('senere', 'later'),
          ),
        ),
      ),
    );
  }
  return nav;
}
