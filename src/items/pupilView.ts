// The item as it may reach a pupil's browser. Anything the browser receives can be read in its
// developer tools, so every key, every score table and every hint meant for graders is removed here,
// on the server, before the paper is released (docs/rules.md §2: the paper is sealed until the start).
import { XMLSerializer, type Element, type Node } from '@xmldom/xmldom';
import { attr, children, isElement, nameOf, parseXml } from './xml.ts';

/** Elements that hold the key or how it is scored. */
const KEY_ELEMENTS = new Set([
  'qti-correct-response',
  'qti-mapping',
  'qti-area-mapping',
  'qti-response-processing',
  'qti-match-table',
  'qti-interpolation-table',
  // Feedback is never shown during an exam, and its text usually states the answer.
  'qti-modal-feedback',
  'qti-feedback-block',
  'qti-feedback-inline',
]);

/** Returns the item XML without keys, outcome defaults, grader rubrics or comments. Throws on malformed XML. */
export function stripForPupil(xml: string, file = 'item.xml'): string {
  const parsed = parseXml(xml, file);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.file}:${p.line ?? 1}: ${p.message}`).join('; '));
  strip(parsed.root);
  return new XMLSerializer().serializeToString(parsed.doc);
}

function strip(el: Element): void {
  for (let n: Node | null = el.firstChild; n;) {
    const next: Node | null = n.nextSibling;
    if (n.nodeType === 8 /* comment: authors leave notes like "answer: B" */) el.removeChild(n);
    else if (isElement(n)) {
      if (shouldRemove(n, el)) el.removeChild(n);
      else strip(n);
    }
    n = next;
  }
}

function shouldRemove(el: Element, parent: Element): boolean {
  const name = nameOf(el);
  if (KEY_ELEMENTS.has(name)) return true;
  // An outcome's default value can carry a score or MAXSCORE the pupil need not see.
  if (name === 'qti-default-value' && nameOf(parent) === 'qti-outcome-declaration') return true;
  // Rubrics for scorers or proctors are marking guides; only the candidate's view may go out.
  if (name === 'qti-rubric-block') {
    const views = (attr(el, 'view') ?? 'candidate').split(/\s+/);
    return !views.includes('candidate');
  }
  return false;
}

/** Names of key elements still present; empty for a properly stripped item (used by tests and a release check). */
export function leakedKeys(xml: string): string[] {
  const parsed = parseXml(xml, 'stripped.xml');
  if (!parsed.ok) return ['<unparseable>'];
  const found: string[] = [];
  const walk = (el: Element): void => {
    for (const c of children(el)) {
      const name = nameOf(c);
      if (KEY_ELEMENTS.has(name) || (name === 'qti-default-value' && nameOf(el) === 'qti-outcome-declaration')) found.push(name);
      walk(c);
    }
  };
  walk(parsed.root);
  return found;
}
