// Reading XML for items, manifests and tests. xmldom keeps mixed content in document order and gives
// every node its line, which is what authors need in a problem report.
import { DOMParser, onErrorStopParsing, type Document, type Element, type Node } from '@xmldom/xmldom';
import type { Problem } from './model.ts';

const ELEMENT_NODE = 1;

export type ParsedXml = { ok: true; doc: Document; root: Element } | { ok: false; problems: Problem[] };

/**
 * Parses XML text; any warning-free failure becomes problems with the parser's line.
 * A document with a recoverable error is still refused: a half-read item must never be scored.
 */
export function parseXml(text: string, file: string): ParsedXml {
  const problems: Problem[] = [];
  let doc: Document | undefined;
  try {
    doc = new DOMParser({
      onError: (level, message, ctx: { locator?: { lineNumber?: number } } | undefined) => {
        if (level === 'warning') return;
        problems.push({ file, line: Math.max(1, ctx?.locator?.lineNumber ?? 1), message: `malformed XML: ${firstLine(message)}` });
        if (level === 'error') onErrorStopParsing();
      },
    }).parseFromString(text, 'application/xml');
  } catch (err) {
    // The fatal error was already collected by onError; anything else (a thrown DOMException) is reported here.
    if (problems.length === 0) problems.push({ file, line: 1, message: `malformed XML: ${firstLine(String(err))}` });
  }
  if (problems.length > 0) return { ok: false, problems: dedupe(problems) };
  const root = doc?.documentElement;
  if (!doc || !root) return { ok: false, problems: [{ file, line: 1, message: 'malformed XML: no root element' }] };
  return { ok: true, doc, root };
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function isElement(node: Node | null | undefined): node is Element {
  return !!node && node.nodeType === ELEMENT_NODE;
}

/** The element's name without prefix: QTI 3.0 files may or may not use a prefix for the ASI namespace. */
export function nameOf(el: Element): string {
  return el.localName ?? el.nodeName;
}

export function children(el: Element, name?: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (isElement(n) && (name === undefined || nameOf(n) === name)) out.push(n);
  }
  return out;
}

export function child(el: Element, name: string): Element | undefined {
  return children(el, name)[0];
}

/** Depth-first, document order, including `el` itself. */
export function* descendants(el: Element): Generator<Element> {
  yield el;
  for (const c of children(el)) yield* descendants(c);
}

export function attr(el: Element, name: string): string | null {
  return el.hasAttribute(name) ? el.getAttribute(name) : null;
}

export function lineOf(node: Node): number {
  return node.lineNumber ?? 1;
}

/**
 * The text of a leaf value element (qti-value, qti-base-value). Only text and CDATA children count;
 * used for leaves, never for mixed content where it would lose where interactions sit.
 */
export function leafText(el: Element): string {
  let text = '';
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 3 || n.nodeType === 4) text += n.nodeValue ?? '';
  }
  return text;
}
