import { h } from '../../shell/dom.ts';

/**
 * Safe rendering of an item's content. The XML is parsed with the browser's DOMParser (an XML document never
 * runs scripts) and rebuilt element by element: only the HTML elements below are copied, with only the
 * attributes below; text goes in as text. Nothing from the package is ever set as HTML.
 */

/** HTML elements an item body may use, and the ones rendered under another name. */
const KEEP = new Set([
  'p', 'div', 'span', 'br', 'em', 'strong', 'b', 'i', 'u', 'sub', 'sup', 'small', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'colgroup', 'col', 'blockquote', 'pre', 'code',
  'abbr', 'q', 'cite', 'hr', 'figure', 'figcaption', 'img', 'audio', 'source',
]); // prettier-ignore
/** The page has h1 (the exam) and h2 (the item): an item's own headings start at h3. */
const HEADING = /^h([1-6])$/;
/** Elements dropped with everything inside: active content, and what is for graders only. */
const DROP = new Set(['script', 'style', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'select', 'textarea', 'link', 'meta', 'base', 'svg', 'math']);
const ATTRIBUTES: Record<string, string[]> = {
  img: ['alt', 'width', 'height'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
  abbr: ['title'],
  ol: ['start', 'type'],
  col: ['span'],
  colgroup: ['span'],
};

export interface ParsedItem {
  identifier: string;
  /** The item's language (xml:lang), for the screen reader's voice; Danish when not given. */
  lang: string;
  body: Element;
  /** Declared responses: identifier → cardinality and base type (the key itself is not in the served XML). */
  responses: Map<string, { cardinality: string; baseType: string }>;
}

/** Parses a served item; throws if it is not well-formed (it is then shown as an error, never half). */
export function parseItem(xml: string): ParsedItem {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) throw new Error('the item is not well-formed XML');
  const root = doc.documentElement;
  const body = childrenOf(root).find((c) => c.localName === 'qti-item-body');
  if (!body) throw new Error('the item has no qti-item-body');
  const responses = new Map<string, { cardinality: string; baseType: string }>();
  for (const d of childrenOf(root).filter((c) => c.localName === 'qti-response-declaration')) {
    responses.set(d.getAttribute('identifier') ?? '', { cardinality: d.getAttribute('cardinality') ?? 'single', baseType: d.getAttribute('base-type') ?? '' });
  }
  return { identifier: root.getAttribute('identifier') ?? '', lang: root.getAttribute('xml:lang') || 'da', body, responses };
}

export const childrenOf = (el: Element): Element[] => Array.from(el.children);

/** Renders the QTI element `el` (an interaction, or a QTI-only element) or returns undefined to treat it as content. */
export type QtiRenderer = (el: Element) => Node | null | undefined;

/** Copies the children of `from` as safe HTML, handing QTI elements (qti-*) to `qti`. */
export function renderChildren(from: Element, qti: QtiRenderer, assetUrl: (src: string) => string | null): DocumentFragment {
  const out = document.createDocumentFragment();
  for (const n of Array.from(from.childNodes)) {
    const r = renderNode(n, qti, assetUrl);
    if (r) out.append(r);
  }
  return out;
}

function renderNode(n: Node, qti: QtiRenderer, assetUrl: (src: string) => string | null): Node | null {
  if (n.nodeType === Node.TEXT_NODE || n.nodeType === Node.CDATA_SECTION_NODE) return document.createTextNode(n.nodeValue ?? '');
  if (n.nodeType !== Node.ELEMENT_NODE) return null; // comments, processing instructions
  const el = n as Element;
  const name = el.localName.toLowerCase();
  if (name.startsWith('qti-')) {
    const r = qti(el);
    if (r !== undefined) return r;
    return renderChildren(el, qti, assetUrl); // a QTI wrapper with no look of its own: its content
  }
  if (DROP.has(name)) return null;
  const heading = HEADING.exec(name);
  const tag = heading ? `h${Math.min(6, Number(heading[1]) + 2)}` : KEEP.has(name) ? name : null;
  if (!tag) return renderChildren(el, qti, assetUrl); // unknown: keep its text, lose the element
  const out = document.createElement(tag);
  for (const a of ATTRIBUTES[name] ?? []) {
    const v = el.getAttribute(a);
    if (v !== null) out.setAttribute(a, v);
  }
  const lang = el.getAttribute('xml:lang') ?? el.getAttribute('lang');
  if (lang && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang)) out.setAttribute('lang', lang);
  if (name === 'img' || name === 'source' || name === 'audio') {
    const src = el.getAttribute('src');
    const url = src ? assetUrl(src) : null;
    if (src && !url) return null; // an address outside the package is never fetched
    if (url) out.setAttribute('src', url);
    if (name === 'img' && !out.hasAttribute('alt')) out.setAttribute('alt', '');
    if (name === 'audio') out.setAttribute('controls', '');
  }
  out.append(renderChildren(el, qti, assetUrl));
  return out;
}

/**
 * The address of a package file, or null to leave the element out. The server points every media reference at
 * its asset route (served only from the start, to the sitting's people); anything else would load from
 * elsewhere during an exam, so it is not fetched.
 */
export function packageAssetUrl(sittingId: number, src: string): string | null {
  const base = `/api/sittings/${sittingId}/items/assets/`;
  if (!src.startsWith(base)) return null;
  const rest = src.slice(base.length);
  return rest && !rest.split('/').some((p) => p === '..' || p === '.' || p === '') && !/[?#\\]/.test(rest) ? src : null;
}

/** The text of an element as the pupil reads it (prompts, choices), whitespace folded. */
export const textOf = (el: Element): string => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

/** A page-unique id for labels. */
let next = 0;
export const uid = (prefix: string): string => `${prefix}-${++next}`;

/** A visually hidden text for screen readers. */
export const srOnly = (text: string): HTMLElement => h('span', { class: 'sr-only' }, text);
