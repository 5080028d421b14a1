import { h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import { renderChoice } from './choice.ts';
import { parseItem, renderChildren, type ParsedItem, type QtiRenderer } from './content.ts';
import type { InteractionContext } from './context.ts';
import { renderExtendedText } from './extendedText.ts';
import { renderGapMatch } from './gapMatch.ts';
import { renderHottext } from './hottext.ts';
import { renderInlineChoice } from './inlineChoice.ts';
import { renderMatch } from './match.ts';
import { renderOrder } from './order.ts';
import type { ItemResponses } from './responses.ts';
import { renderTextEntry } from './textEntry.ts';

export interface ItemViewOptions {
  seed: string;
  responses: ItemResponses;
  readOnly: boolean;
  spellCheck: boolean;
  assetUrl(src: string): string | null;
}

/** The response identifiers of an item's extended-text interactions (their text is not in the responses map). */
export const extendedResponses = (item: ParsedItem): string[] =>
  Array.from(item.body.getElementsByTagNameNS('*', 'qti-extended-text-interaction')).map((e) => e.getAttribute('response-identifier') ?? '');

/**
 * One item's body, its interactions as accessible HTML (one module each). Returns the element and a destroy
 * function for what the interactions created. An element the client does not know is never rendered half:
 * the server refuses such packages at upload, and here the item says it cannot be shown.
 */
export function renderItem(item: ParsedItem, o: ItemViewOptions): { element: HTMLElement; destroy(): void } {
  const cleanups: (() => void)[] = [];
  const count = (name: string) => item.body.getElementsByTagNameNS('*', name).length;
  const seen = { textEntry: 0, inlineChoice: 0 };
  const totals = { textEntry: count('qti-text-entry-interaction'), inlineChoice: count('qti-inline-choice-interaction') };
  let unknown: string | null = null;

  const qti: QtiRenderer = (el) => {
    switch (el.localName) {
      case 'qti-choice-interaction':
        return renderChoice(el, ctx);
      case 'qti-text-entry-interaction':
        return renderTextEntry(el, ctx, { n: ++seen.textEntry, of: totals.textEntry });
      case 'qti-inline-choice-interaction':
        return renderInlineChoice(el, ctx, { n: ++seen.inlineChoice, of: totals.inlineChoice });
      case 'qti-match-interaction':
        return renderMatch(el, ctx);
      case 'qti-order-interaction':
        return renderOrder(el, ctx);
      case 'qti-gap-match-interaction':
        return renderGapMatch(el, ctx);
      case 'qti-hottext-interaction':
        return renderHottext(el, ctx);
      case 'qti-extended-text-interaction':
        return renderExtendedText(el, ctx);
      case 'qti-rubric-block':
        // Only the candidate's rubrics reach the browser (the server strips the rest); shown as a note.
        return (el.getAttribute('view') ?? 'candidate').split(/\s+/).includes('candidate') ? h('div', { class: 'rubric' }, ctx.content(el)) : null;
      case 'qti-prompt':
      case 'qti-stylesheet':
      case 'qti-companion-materials-info':
        return null;
      default:
        if (el.localName.endsWith('-interaction')) {
          unknown = el.localName;
          return null;
        }
        return undefined;
    }
  };
  const assetUrl = (src: string) => o.assetUrl(src);
  const ctx: InteractionContext = {
    item: item.identifier,
    seed: o.seed,
    responses: o.responses,
    readOnly: o.readOnly,
    spellCheck: o.spellCheck,
    baseType: (id) => item.responses.get(id)?.baseType ?? '',
    content: (el, nested) =>
      renderChildren(
        el,
        nested
          ? (q) => {
              const r = nested(q);
              return r === undefined ? qti(q) : r;
            }
          : qti,
        assetUrl,
      ),
    onDestroy: (fn) => cleanups.push(fn),
  };
  const body = renderChildren(item.body, qti, assetUrl);
  const element = unknown
    ? h(
        'p',
        { class: 'warn', role: 'alert' },
        tr(
          `Opgaven kan ikke vises (${unknown}). Ræk hånden op og tilkald den tilsynsførende.`,
          `The item cannot be shown (${unknown}). Raise your hand and call the invigilator.`,
        ),
      )
    : h('div', { class: 'item-body', lang: item.lang }, body);
  return {
    element,
    destroy: () => {
      for (const c of cleanups.splice(0)) c();
    },
  };
}

export { parseItem };
