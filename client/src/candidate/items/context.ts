import type { QtiRenderer } from './content.ts';
import { stableShuffle } from './delivery.ts';
import type { ItemResponses, ResponseValue } from './responses.ts';

/** What an interaction module gets to render one interaction of one item. */
export interface InteractionContext {
  /** The item's identifier (the key in the responses map). */
  item: string;
  /** The pupil's id, for a shuffle that stays the same on reload and on another device. */
  seed: string;
  responses: ItemResponses;
  /** Renders nested content (prompts, text around gaps and hottext) safely, handing nested QTI elements on. */
  content(el: Element, qti?: QtiRenderer): DocumentFragment;
  /** True once the part is over or writing is stopped: the controls show the response but cannot change it. */
  readOnly: boolean;
  spellCheck: boolean;
  /** The declared base type of a response ('integer', 'string', …), from the served XML. */
  baseType(response: string): string;
  /** Registers cleanup for what the interaction created (an editor). */
  onDestroy(fn: () => void): void;
}

/** Reads and writes the interaction's own response. */
export function responseOf(ctx: InteractionContext, el: Element) {
  const id = el.getAttribute('response-identifier') ?? '';
  return {
    id,
    get: (): ResponseValue | undefined => ctx.responses.get(ctx.item, id),
    list: (): string[] => {
      const v = ctx.responses.get(ctx.item, id);
      return v === undefined ? [] : Array.isArray(v) ? v : [v];
    },
    set: (v: ResponseValue | undefined): void => {
      if (!ctx.readOnly) ctx.responses.set(ctx.item, id, v);
    },
  };
}

/** Choices in the order the pupil sees them: shuffled per pupil when the item asks, `fixed` ones in place. */
export function ordered(ctx: InteractionContext, interaction: Element, choices: Element[]): Element[] {
  if (interaction.getAttribute('shuffle') !== 'true') return choices;
  const seed = `${ctx.seed}:${ctx.item}:${interaction.getAttribute('response-identifier') ?? ''}`;
  return stableShuffle(choices, seed, (c) => c.getAttribute('fixed') === 'true');
}
