import { h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import { createAnswerEditor, renderToolbar } from '../editor.ts';
import { childrenOf, textOf } from './content.ts';
import { responseOf, type InteractionContext } from './context.ts';

/**
 * qti-extended-text-interaction: the essay's own rich-text editor on the response's Y.XmlFragment
 * (extendedTextFragment), so it saves, works offline and switches device exactly like the essay.
 */
export function renderExtendedText(el: Element, ctx: InteractionContext): HTMLElement {
  const { id } = responseOf(ctx, el);
  const prompt = childrenOf(el).find((c) => c.localName === 'qti-prompt');
  const lines = Number(el.getAttribute('expected-lines') ?? '0');
  const mount = h('div', { class: 'editor-mount extended-text', style: lines ? `--lines: ${Math.min(30, lines)}` : undefined });
  const wrap = h('div', { class: 'interaction extended-text-interaction' }, prompt ? h('p', { class: 'legend' }, ctx.content(prompt)) : null, mount);
  // The editor needs its mount in the page: created on the next frame, after the item is shown.
  requestAnimationFrame(() => {
    if (!mount.isConnected) return;
    const editor = createAnswerEditor(mount, ctx.responses.fragment(ctx.item, id), { spellCheck: ctx.spellCheck });
    editor.view.dom.setAttribute('aria-label', prompt ? textOf(prompt) : tr('Dit svar (længere tekst)', 'Your answer (longer text)'));
    if (ctx.readOnly) editor.setEditable(false);
    mount.before(renderToolbar(editor));
    ctx.onDestroy(() => editor.destroy());
  });
  return wrap;
}
