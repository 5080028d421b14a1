import * as Y from 'yjs';
import { FORMULA_BLOCK, FORMULA_INLINE, IMAGE_ATTACHMENT_ATTR, LATEX_ATTR } from '../protocol/answerDocument.ts';

/**
 * An image: a data: URL, or one of the pupil's attachments by id (docs/rules.md §16.4), whose `src` is only where the
 * browser showed it from.
 */
export type ImageRef = { kind: 'image'; src: string; attachmentId?: string };

/** One run of text with its marks, or a line break / inline image / inline formula (LaTeX, §16.1) inside a paragraph. */
export type Inline =
  | { kind: 'text'; text: string; bold: boolean; italic: boolean; underline: boolean; strike: boolean; code: boolean }
  | { kind: 'break' }
  | ImageRef
  | { kind: 'formula'; latex: string };

/** The answer as the PDF needs it: Tiptap/ProseMirror blocks, independent of Yjs. */
export type Block =
  | { kind: 'paragraph'; inlines: Inline[] }
  | { kind: 'heading'; level: number; inlines: Inline[] }
  | { kind: 'code'; text: string }
  | { kind: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { kind: 'table'; rows: { header: boolean; blocks: Block[] }[][] }
  | { kind: 'quote'; blocks: Block[] }
  | ImageRef
  | { kind: 'formula'; latex: string }
  | { kind: 'rule' };

/** Reads the frozen answer (a Yjs update/state) into blocks; the fragment is `answer` (docs/rules.md §4.3). */
export function answerBlocks(finalState: Uint8Array): Block[] {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, finalState);
    return blocksOf(doc.getXmlFragment('answer').toArray());
  } finally {
    doc.destroy();
  }
}

type YNode = Y.XmlElement | Y.XmlText | Y.XmlHook;

function blocksOf(nodes: YNode[]): Block[] {
  const out: Block[] = [];
  for (const node of nodes) {
    if (node instanceof Y.XmlText) {
      // Stray text at block level (should not happen in the schema): keep it rather than lose words.
      out.push({ kind: 'paragraph', inlines: inlinesOf([node]) });
      continue;
    }
    if (!(node instanceof Y.XmlElement)) continue;
    const block = blockOf(node);
    if (block) out.push(block);
  }
  return out;
}

function blockOf(el: Y.XmlElement): Block | null {
  const children = el.toArray() as YNode[];
  switch (el.nodeName) {
    case 'paragraph':
      return { kind: 'paragraph', inlines: inlinesOf(children) };
    case 'heading':
      return { kind: 'heading', level: clampLevel(el.getAttribute('level')), inlines: inlinesOf(children) };
    case 'codeBlock':
      return { kind: 'code', text: textOf(children) };
    case 'bulletList':
    case 'orderedList':
    case 'taskList':
      return {
        kind: 'list',
        ordered: el.nodeName === 'orderedList',
        start: Number(el.getAttribute('start') ?? 1) || 1,
        items: children.filter((c): c is Y.XmlElement => c instanceof Y.XmlElement).map((item) => blocksOf(item.toArray() as YNode[])),
      };
    case 'table':
      return {
        kind: 'table',
        rows: children
          .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement)
          .map((row) =>
            (row.toArray() as YNode[])
              .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement)
              .map((cell) => ({
                header: cell.nodeName === 'tableHeader',
                blocks: blocksOf(cell.toArray() as YNode[]),
              })),
          ),
      };
    case 'blockquote':
      return { kind: 'quote', blocks: blocksOf(children) };
    case 'image':
      return imageOf(el);
    case FORMULA_BLOCK:
    case FORMULA_INLINE:
      return { kind: 'formula', latex: latexOf(el) };
    case 'horizontalRule':
      return { kind: 'rule' };
    default:
      // An unknown node from a newer editor: render its content as paragraphs, never drop it silently.
      return children.length ? { kind: 'quote', blocks: blocksOf(children) } : null;
  }
}

function imageOf(el: Y.XmlElement): ImageRef {
  const id = el.getAttribute(IMAGE_ATTACHMENT_ATTR);
  const src = String(el.getAttribute('src') ?? '');
  return typeof id === 'string' && id ? { kind: 'image', src, attachmentId: id } : { kind: 'image', src };
}

const latexOf = (el: Y.XmlElement): string => {
  const latex = el.getAttribute(LATEX_ATTR);
  return typeof latex === 'string' ? latex : '';
};

function clampLevel(v: unknown): number {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 6 ? n : 1;
}

function inlinesOf(children: YNode[]): Inline[] {
  const out: Inline[] = [];
  for (const child of children) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
        if (typeof op.insert !== 'string') continue;
        const a = op.attributes ?? {};
        out.push({
          kind: 'text',
          text: op.insert,
          bold: 'bold' in a,
          italic: 'italic' in a,
          underline: 'underline' in a,
          strike: 'strike' in a,
          code: 'code' in a,
        });
      }
    } else if (child instanceof Y.XmlElement) {
      if (child.nodeName === 'hardBreak') out.push({ kind: 'break' });
      else if (child.nodeName === 'image') out.push(imageOf(child));
      else if (child.nodeName === FORMULA_INLINE || child.nodeName === FORMULA_BLOCK) out.push({ kind: 'formula', latex: latexOf(child) });
      else out.push(...inlinesOf(child.toArray() as YNode[]));
    }
  }
  return out;
}

function textOf(children: YNode[]): string {
  return children.map((c) => (c instanceof Y.XmlText ? c.toString() : c instanceof Y.XmlElement ? textOf(c.toArray() as YNode[]) : '')).join('');
}

/** Every block and inline of the answer, in document order, at any depth (lists, quotes, table cells). */
export function* nodesOf(blocks: Block[]): Generator<Block | Inline> {
  for (const b of blocks) {
    yield b;
    if (b.kind === 'paragraph' || b.kind === 'heading') yield* b.inlines;
    else if (b.kind === 'list') for (const item of b.items) yield* nodesOf(item);
    else if (b.kind === 'quote') yield* nodesOf(b.blocks);
    else if (b.kind === 'table') for (const row of b.rows) for (const cell of row) yield* nodesOf(cell.blocks);
  }
}

/** True when the answer has no visible content (no words, no images). */
export function isEmptyAnswer(blocks: Block[]): boolean {
  return blocks.every((b) => {
    switch (b.kind) {
      case 'paragraph':
      case 'heading':
        return b.inlines.every((i) => (i.kind === 'text' ? !i.text.trim() : i.kind === 'formula' ? !i.latex.trim() : i.kind === 'break'));
      case 'code':
        return !b.text.trim();
      case 'list':
        return b.items.every(isEmptyAnswer);
      case 'table':
        return b.rows.every((r) => r.every((c) => isEmptyAnswer(c.blocks)));
      case 'quote':
        return isEmptyAnswer(b.blocks);
      case 'image':
        return !b.src && !b.attachmentId;
      case 'formula':
        return !b.latex.trim();
      case 'rule':
        return true;
    }
  });
}

/** Decodes a data: URL of a PNG or JPEG; anything else (remote URLs, SVG) is refused. */
export function imageBytes(src: string): Buffer | null {
  const m = /^data:image\/(png|jpe?g);base64,([A-Za-z0-9+/=\s]+)$/i.exec(src);
  if (!m) return null;
  const bytes = Buffer.from(m[2], 'base64');
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  return png || jpeg ? bytes : null;
}
