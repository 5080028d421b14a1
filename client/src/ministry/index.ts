import type { RenderView } from '../shell/context.ts';
import { h } from '../shell/dom.ts';
import { tr } from '../shell/i18n.ts';

// Replaced by the area's real view.
export const renderMinistry: RenderView = (root) => {
  root.replaceChildren(h('main', { id: 'main' }, h('p', {}, tr('Denne del er under opbygning.', 'This part is being built.'))));
};
