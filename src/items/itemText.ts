// An item's body as readable text for the signed PDF (docs/rules.md §14.8): paragraphs a reader can follow on paper,
// and the text of every choice a response may name. Pure: XML in, plain data out.
import type { Element, Node } from '@xmldom/xmldom';
import { attr, children, isElement, nameOf, parseXml } from './xml.ts';

export interface ItemText {
  /** The body's text, one entry per paragraph; interactions written out (choices listed, gaps numbered). */
  prompt: string[];
  /** Per response identifier: choice identifier → the text the pupil saw. */
  labels: Map<string, Map<string, string>>;
}

const BLOCKS = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote', 'pre', 'tr', 'qti-prompt', 'qti-content-body']);
/** Choice-like elements: their text is listed under the prompt and names them in a response. */
const CHOICES = new Set(['qti-simple-choice', 'qti-simple-associable-choice', 'qti-gap-text']);
/** Never printed: keys, feedback and templates (the scorer rubric is handled apart). */
const SKIP = new Set(['qti-modal-feedback', 'qti-feedback-block', 'qti-feedback-inline', 'qti-template-block', 'qti-template-inline', 'script', 'style']);

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Reads an item's XML; `scorerNotes` keeps rubric blocks meant for scorers (the grader's copy only). */
export function itemText(xml: string, o: { scorerNotes?: boolean } = {}): ItemText {
  const parsed = parseXml(xml, 'item.xml');
  const labels = new Map<string, Map<string, string>>();
  if (!parsed.ok) return { prompt: [], labels };
  const body = children(parsed.root, 'qti-item-body')[0];
  if (!body) return { prompt: [], labels };
  const paragraphs: string[] = [];
  let line = '';
  let gaps = 0;
  let response: string | null = null;
  const flush = () => {
    if (squash(line)) paragraphs.push(squash(line));
    line = '';
  };
  const label = (id: string | null, text: string) => {
    if (!id || response === null) return;
    if (!labels.has(response)) labels.set(response, new Map());
    labels.get(response)!.set(id, text);
  };

  const walk = (node: Node): void => {
    if (node.nodeType === 3 || node.nodeType === 4) {
      line += node.nodeValue ?? '';
      return;
    }
    if (!isElement(node)) return;
    const el = node;
    const name = nameOf(el);
    if (SKIP.has(name)) return;
    if (name === 'qti-rubric-block') {
      const views = (attr(el, 'view') ?? 'candidate').split(/\s+/);
      if (views.includes('candidate')) return walkAll(el, true);
      if (o.scorerNotes) {
        flush();
        paragraphs.push(`Bedømmelsesvejledning: ${squash(el.textContent ?? '')}`);
      }
      return;
    }
    if (name === 'img') {
      line += `[billede${attr(el, 'alt') ? `: ${attr(el, 'alt')}` : ''}]`;
      return;
    }
    if (name === 'br') {
      flush();
      return;
    }
    if (name.endsWith('-interaction')) return interaction(el, name);
    if (CHOICES.has(name)) {
      const text = squash(el.textContent ?? '');
      label(attr(el, 'identifier'), text);
      flush();
      paragraphs.push(`– ${text}`);
      return;
    }
    if (name === 'qti-inline-choice' || name === 'qti-hottext') {
      const text = squash(el.textContent ?? '');
      label(attr(el, 'identifier'), text);
      if (name === 'qti-hottext') line += text;
      return;
    }
    if (name === 'qti-gap') {
      gaps++;
      label(attr(el, 'identifier'), `hul ${gaps}`);
      line += ` [hul ${gaps}] `;
      return;
    }
    walkAll(el, BLOCKS.has(name));
  };
  const walkAll = (el: Element, block: boolean) => {
    if (block) flush();
    for (let n = el.firstChild; n; n = n.nextSibling) walk(n);
    if (block) flush();
  };
  const interaction = (el: Element, name: string) => {
    const outer = response;
    response = attr(el, 'response-identifier');
    if (name === 'qti-text-entry-interaction') line += ' [ _____ ] ';
    else if (name === 'qti-inline-choice-interaction') {
      for (const c of children(el)) walk(c);
      const options = [...(labels.get(response ?? '')?.values() ?? [])];
      line += ` [${options.join(' / ')}] `;
    } else if (name === 'qti-extended-text-interaction') {
      flush();
    } else walkAll(el, true);
    response = outer;
  };
  walkAll(body, true);
  return { prompt: paragraphs, labels };
}
