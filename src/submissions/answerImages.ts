import { createHash } from 'node:crypto';
import type { HandedInAttachment } from '../attachments/queries.ts';
import { nodesOf, type Block } from './answerDoc.ts';
import type { FetchAttachment } from './attachmentPort.ts';
import { openImage } from './pdfBlocks.ts';
import type { Doc, OpenedImage } from './pdfStyle.ts';

/** pdfkit draws these two itself; any other image is listed only (and embedded like every file). */
export const DRAWABLE = new Set(['image/png', 'image/jpeg']);

/** The attachment ids of every image node in the answer (docs/rules.md §16.4), in any nesting. */
export function referencedAttachments(blocks: Block[]): Set<string> {
  const ids = new Set<string>();
  for (const n of nodesOf(blocks)) if (n.kind === 'image' && n.attachmentId) ids.add(n.attachmentId);
  return ids;
}

/**
 * The handed-in PNG and JPEG attachments the answer shows inline, fetched before the answer is laid out (layout is
 * synchronous). Each is opened once per PDF: drawn inline and again on its attachment page from the same object, so
 * its bytes are embedded once. `fetch` hands the attachments part the bytes already fetched rather than asking twice.
 */
export class AnswerImages {
  private readonly bytes = new Map<string, Buffer>();
  private readonly opened = new Map<string, OpenedImage | null>();
  private constructor(
    private readonly list: readonly HandedInAttachment[],
    private readonly from: FetchAttachment,
  ) {}

  static async load(list: readonly HandedInAttachment[], referenced: Set<string>, from: FetchAttachment): Promise<AnswerImages> {
    const images = new AnswerImages(list, from);
    for (const [i, a] of list.entries()) {
      if (!referenced.has(a.id) || !DRAWABLE.has(a.mimeType)) continue;
      const view = await from(i);
      const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
      // Drawn only if its bytes are what the receipt lists; the attachments part fails the PDF on a mismatch anyway.
      if (createHash('sha256').update(bytes).digest('hex') === a.sha256) images.bytes.set(a.id, bytes);
    }
    return images;
  }

  /** The opened image of a handed-in attachment, or null (not handed in, not PNG/JPEG, undecodable). */
  open(doc: Doc, id: string): OpenedImage | null {
    if (!this.opened.has(id)) this.opened.set(id, openImage(doc, this.bytes.get(id) ?? null));
    return this.opened.get(id) ?? null;
  }

  /** The name the pupil gave an attachment, for the placeholder of one that cannot be drawn. */
  name(id: string): string | undefined {
    return this.list.find((a) => a.id === id)?.name;
  }

  /** Fetches attachment i, from memory when it was fetched for the answer already. */
  readonly fetch: FetchAttachment = async (i) => {
    const a = this.list[i];
    const kept = a ? this.bytes.get(a.id) : undefined;
    return kept ?? this.from(i);
  };
}
