import * as Y from 'yjs';
import { extendedTextFragment, RESPONSES_MAP, type ItemResponse } from '../../../../src/protocol/itemResponses.ts';

export type ResponseValue = string | string[];

/**
 * The pupil's item responses in the answer's Y.Doc (src/protocol/itemResponses.ts): one plain JSON value per
 * item, replaced whole on each change, so the server always reads a complete, typed response for an item.
 * Extended text lives in its own Y.XmlFragment. Saving, offline copy and device switch are the essay's.
 */
export class ItemResponses {
  readonly map: Y.Map<ItemResponse>;

  constructor(readonly doc: Y.Doc) {
    this.map = doc.getMap<ItemResponse>(RESPONSES_MAP);
  }

  get(item: string, response: string): ResponseValue | undefined {
    const r = this.map.get(item);
    return r && Object.hasOwn(r, response) ? r[response] : undefined;
  }

  /** Sets one response of an item; an empty string or list means "no response" and removes it. */
  set(item: string, response: string, value: ResponseValue | undefined): void {
    const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
    const next: ItemResponse = { ...(this.map.get(item) ?? {}) };
    if (empty) delete next[response];
    else next[response] = Array.isArray(value) ? [...value] : value;
    if (JSON.stringify(next) === JSON.stringify(this.map.get(item) ?? {})) return; // no change, no update sent
    if (Object.keys(next).length === 0) this.map.delete(item);
    else this.map.set(item, next);
  }

  /** The rich text of an extended-text response. */
  fragment(item: string, response: string): Y.XmlFragment {
    return this.doc.getXmlFragment(extendedTextFragment(item, response));
  }

  /** An item counts as answered when any of its responses has a value (text: any non-blank text). */
  answered(item: string, extendedResponses: readonly string[]): boolean {
    const r = this.map.get(item);
    if (r && Object.keys(r).length > 0) return true;
    return extendedResponses.some((id) => fragmentText(this.fragment(item, id)).trim() !== '');
  }

  /** Calls `fn` after any change to the responses; `remote` when it came from elsewhere (server, IndexedDB). */
  observe(fn: (remote: boolean) => void): () => void {
    const onUpdate = (_u: Uint8Array, _origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => fn(!tr.local);
    this.doc.on('update', onUpdate);
    return () => this.doc.off('update', onUpdate);
  }
}

function fragmentText(f: Y.XmlFragment): string {
  let out = '';
  const walk = (n: Y.XmlElement | Y.XmlText | Y.XmlFragment | Y.XmlHook) => {
    if (n instanceof Y.XmlText) out += n.toString();
    else if (n instanceof Y.XmlElement || n instanceof Y.XmlFragment) for (const c of n.toArray()) walk(c as Y.XmlElement | Y.XmlText);
  };
  walk(f);
  return out;
}
