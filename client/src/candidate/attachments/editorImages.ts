import Image from '@tiptap/extension-image';
import type { EditorView } from '@tiptap/pm/view';
import * as Y from 'yjs';
import { IMAGE_ATTACHMENT_ATTR } from '../../../../src/protocol/answerDocument.ts';

/** Marks an image whose upload is still in the queue (the queue entry's key); removed once it is an attachment. */
export const UPLOAD_KEY_ATTR = 'uploadKey';

/** Where the answer's images are shown from once they are attachments: the pupil's own files (docs/rules.md §16.4). */
export const attachmentSrc = (id: string): string => `/api/attachments/files/${id}`;

/** Tiptap's image, inline as the plain text treats it, with the attachment it is and the upload it waits for. */
export const AttachmentImage = Image.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      [IMAGE_ATTACHMENT_ATTR]: {
        default: null,
        parseHTML: (el: HTMLElement) => el.getAttribute('data-attachment-id'),
        renderHTML: (a: Record<string, unknown>) => (a[IMAGE_ATTACHMENT_ATTR] ? { 'data-attachment-id': a[IMAGE_ATTACHMENT_ATTR] } : {}),
      },
      [UPLOAD_KEY_ATTR]: {
        default: null,
        parseHTML: (el: HTMLElement) => el.getAttribute('data-upload-key'),
        renderHTML: (a: Record<string, unknown>) => (a[UPLOAD_KEY_ATTR] ? { 'data-upload-key': a[UPLOAD_KEY_ATTR] } : {}),
      },
    };
  },
}).configure({ inline: true, allowBase64: false });

/** What the editor hands pasted or dropped files to (client/src/candidate/attachments/attachments.ts). */
export interface FileSink {
  /** Whether the sitting lets images become attachments; when not, `refuseImages` says so and nothing is inserted. */
  imagesAllowed(): boolean;
  refuseImages(): void;
  /** Queues the file and returns the queue key the inline image is marked with. */
  enqueue(file: File, image: boolean): string;
}

const imagesOf = (files: FileList | undefined | null) => [...(files ?? [])].filter((f) => f.type.startsWith('image/'));

function insertImages(view: EditorView, sink: FileSink, files: File[], at: number | null): void {
  const type = view.state.schema.nodes.image;
  let tr = view.state.tr;
  let pos = at ?? tr.selection.from;
  for (const file of files) {
    const key = sink.enqueue(file, true);
    const node = type.create({ src: URL.createObjectURL(file), alt: file.name, [UPLOAD_KEY_ATTR]: key });
    tr = at === null ? tr.replaceSelectionWith(node, false) : tr.insert(pos, node);
    pos += node.nodeSize;
  }
  view.dispatch(tr.scrollIntoView());
}

/**
 * The editor's paste and drop of files: images become attachments shown inline at once (from a blob: URL while
 * they upload); other dropped files join the queue. Text is left to the editor (and the lockdown rules) untouched.
 */
export function fileInput(sink: FileSink | undefined) {
  const take = (view: EditorView, files: FileList | undefined | null, at: number | null, all: boolean): boolean => {
    const images = imagesOf(files);
    const others = all ? [...(files ?? [])].filter((f) => !f.type.startsWith('image/')) : [];
    if (!sink || !images.length) {
      for (const f of others) sink?.enqueue(f, false);
      return others.length > 0;
    }
    if (!sink.imagesAllowed()) {
      sink.refuseImages();
      return true;
    }
    insertImages(view, sink, images, at);
    for (const f of others) sink.enqueue(f, false);
    return true;
  };
  return {
    handlePaste: (view: EditorView, event: ClipboardEvent) => take(view, event.clipboardData?.files, null, false),
    handleDrop: (view: EditorView, event: DragEvent) => {
      if (!event.dataTransfer?.files.length) return false;
      const at = view.posAtCoords({ left: event.clientX, top: event.clientY })?.pos ?? null;
      // A file dropped anywhere else would make the browser leave the exam to show it.
      event.preventDefault();
      take(view, event.dataTransfer.files, at, true);
      return true;
    },
  };
}

/** The image elements of the answer whose attribute `attr` is `value` (found in the Yjs document, editor or not). */
function imagesWith(fragment: Y.XmlFragment, attr: string, value: string): Y.XmlElement[] {
  const found: Y.XmlElement[] = [];
  for (const n of fragment.createTreeWalker((x) => x instanceof Y.XmlElement && x.nodeName === 'image' && x.getAttribute(attr) === value)) {
    found.push(n as Y.XmlElement);
  }
  return found;
}
const imagesWaitingFor = (fragment: Y.XmlFragment, key: string) => imagesWith(fragment, UPLOAD_KEY_ATTR, key);

/** The upload finished: the image names its attachment and is shown from the server from now on. */
export function imageUploaded(fragment: Y.XmlFragment, key: string, id: string): void {
  fragment.doc?.transact(() => {
    for (const el of imagesWaitingFor(fragment, key)) {
      el.setAttribute(IMAGE_ATTACHMENT_ATTR, id);
      el.setAttribute('src', attachmentSrc(id));
      el.removeAttribute(UPLOAD_KEY_ATTR);
    }
  });
}

/** After a reload the old blob: URL is gone: the waiting image is shown from the queued file again. */
export function imageShownFrom(fragment: Y.XmlFragment, key: string, file: Blob): void {
  const els = imagesWaitingFor(fragment, key);
  if (els.length) fragment.doc?.transact(() => els.forEach((el) => el.setAttribute('src', URL.createObjectURL(file))));
}

/** The upload was refused (by its queue key), or the attachment removed (by its id): the image leaves the answer. */
export function imageRefused(fragment: Y.XmlFragment, key: string, attr: string = UPLOAD_KEY_ATTR): void {
  fragment.doc?.transact(() => {
    for (const el of imagesWith(fragment, attr, key)) {
      const parent = el.parent as Y.XmlElement | Y.XmlFragment | null;
      const index = parent ? parent.toArray().indexOf(el) : -1;
      if (parent && index >= 0) parent.delete(index, 1);
    }
  });
}
