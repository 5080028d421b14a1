import './attachments.css';
import type * as Y from 'yjs';
import { ATTACHMENTS_MAP, type AttachmentEntry, type AttachmentKind } from '../../../../src/protocol/attachments.ts';
import { IMAGE_ATTACHMENT_ATTR } from '../../../../src/protocol/answerDocument.ts';
import { api } from '../../shell/api.ts';
import { confirmDialog } from '../../shell/confirmDialog.ts';
import { announce, h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import type { ExamView } from '../types.ts';
import { imageRefused, imageShownFrom, imageUploaded, type FileSink } from './editorImages.ts';
import { UploadQueue, type QueueEntry } from './uploadQueue.ts';

const KINDS: Record<AttachmentKind, { da: string; en: string; accept: string }> = {
  image: {
    da: 'billeder (PNG, JPEG, GIF, WebP)',
    en: 'images (PNG, JPEG, GIF, WebP)',
    accept: '.png,.jpg,.jpeg,.gif,.webp,image/png,image/jpeg,image/gif,image/webp',
  },
  pdf: { da: 'PDF', en: 'PDF', accept: '.pdf,application/pdf' },
  ggb: { da: 'GeoGebra (.ggb)', en: 'GeoGebra (.ggb)', accept: '.ggb' },
  xlsx: { da: 'Excel (.xlsx)', en: 'Excel (.xlsx)', accept: '.xlsx' },
  ods: { da: 'regneark (.ods)', en: 'spreadsheets (.ods)', accept: '.ods' },
  docx: { da: 'Word (.docx)', en: 'Word (.docx)', accept: '.docx' },
};

/** Sizes as the server's refusals say them (src/attachments/rules.ts): MB of 1024 × 1024 bytes, one decimal at most. */
export const sizeText = (n: number): string =>
  n >= 1024 * 1024 ? `${String(Math.round((n / 1024 / 1024) * 10) / 10).replace('.', ',')} MB` : `${Math.max(1, Math.round(n / 1024))} kB`;
const list = (xs: string[], and: string) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} ${and} ${xs.at(-1)}`);

/** The SHA-256 shortened on screen, whole for screen readers and copying (docs/accessibility.md). */
function hashView(sha256: string): HTMLElement {
  return h(
    'span',
    { class: 'attachment-hash', 'data-sha256': sha256 },
    h('span', { 'aria-hidden': 'true', title: sha256 }, `SHA-256 ${sha256.slice(0, 12)}…`),
    h('span', { class: 'sr-only' }, `SHA-256 ${sha256}`),
  );
}

/**
 * The pupil's attachments on the exam page (docs/rules.md §15.10): the attach button with what is allowed said in
 * words, the queue of files on their way, and the finished files as the answer document lists them (so a second
 * device shows the same list). Pasted and dropped images come in through `sink`.
 */
export function createAttachments(exam: ExamView, doc: Y.Doc, fragment: Y.XmlFragment) {
  const kinds = exam.aids.attachments ?? [];
  const limits = exam.attachmentLimits ?? null;
  const finished = doc.getMap<AttachmentEntry>(ATTACHMENTS_MAP);
  const queueList = h('ul', { class: 'attachment-queue', 'aria-label': tr('Filer der sendes', 'Files being sent') });
  const doneList = h('ul', { class: 'attachment-done', id: 'attachment-done', 'aria-label': tr('Gemte filer', 'Saved files') });
  const message = h('p', { class: 'attachment-message', id: 'attachment-message', hidden: true });

  const say = (text: string) => {
    message.textContent = text;
    message.hidden = false;
    announce(text);
  };

  const queue = new UploadQueue(exam.registrationId, {
    changed: () => renderQueue(),
    done(file, id, sha256) {
      if (file.image) imageUploaded(fragment, file.key, id);
      const hash = sha256 ?? finished.get(id)?.sha256;
      announce(tr(`${file.name} er gemt.`, `${file.name} is saved.`) + (hash ? ` SHA-256 ${hash}` : ''));
    },
    refused(file, text) {
      if (file.image) imageRefused(fragment, file.key);
      say(tr(`${file.name} blev ikke gemt: ${text}`, `${file.name} was not saved: ${text}`));
    },
  });

  function renderQueue(): void {
    queueList.replaceChildren(...queue.list().map(queueItem));
  }
  function queueItem(e: QueueEntry, i: number): HTMLElement {
    const id = `attachment-progress-${i}`;
    const size = e.file.file.size;
    const status: Record<QueueEntry['status'], [string, string]> = {
      waiting: ['venter', 'waiting'],
      uploading: ['sendes', 'sending'],
      offline: ['venter på forbindelse', 'waiting for the connection'],
      retrying: ['prøver igen', 'trying again'],
    };
    const pct = size ? Math.floor((e.sent / size) * 100) : 0;
    return h(
      'li',
      { 'data-upload-key': e.file.key, 'data-status': e.status },
      h('span', { class: 'attachment-name' }, `${e.file.name} (${sizeText(size)})`),
      ' ',
      h('label', { for: id }, tr(`${pct} % sendt, ${status[e.status][0]}`, `${pct} % sent, ${status[e.status][1]}`)),
      h('progress', { id, max: size, value: e.sent }),
    );
  }

  function renderDone(): void {
    const entries = [...finished.entries()].sort(([, a], [, b]) => a.name.localeCompare(b.name));
    const hadFocus = doneList.contains(document.activeElement);
    doneList.replaceChildren(
      ...entries.map(([id, a]) =>
        h(
          'li',
          { 'data-attachment-id': id },
          h('span', { class: 'attachment-name' }, `${a.name} (${sizeText(a.size)})`),
          ' ',
          h('strong', { class: 'attachment-saved' }, tr('Gemt', 'Saved')),
          ' ',
          hashView(a.sha256),
          ' ',
          h(
            'button',
            { type: 'button', class: 'attachment-remove', 'aria-label': tr(`Fjern ${a.name}`, `Remove ${a.name}`), onclick: () => remove(id, a) },
            tr('Fjern', 'Remove'),
          ),
        ),
      ),
    );
    // The removed file's button had focus: it goes to the attach button rather than being lost.
    if (hadFocus && !doneList.contains(document.activeElement)) document.getElementById('attachment-input')?.focus();
  }
  /** Before hand-in the pupil may take a finished file back; the server removes it from the list on every device. */
  function remove(id: string, a: AttachmentEntry): void {
    confirmDialog(
      {
        title: tr('Fjern fil', 'Remove file'),
        body: [tr(`${a.name} fjernes fra din besvarelse.`, `${a.name} is removed from your answer.`)],
        confirmLabel: tr('Fjern', 'Remove'),
        danger: true,
        async onConfirm() {
          await api(`/api/attachments/uploads/${id}`, { method: 'DELETE' });
          imageRefused(fragment, id, IMAGE_ATTACHMENT_ATTR);
          announce(tr(`${a.name} er fjernet.`, `${a.name} is removed.`));
        },
      },
      // Focus comes back to the attach button: the file's own button is gone with the file.
      document.getElementById('attachment-input'),
    );
  }
  finished.observe(renderDone);
  renderDone();

  const input = h('input', {
    type: 'file',
    id: 'attachment-input',
    multiple: true,
    accept: kinds.map((k) => KINDS[k].accept).join(','),
    'aria-describedby': 'attachment-rules',
  });
  input.addEventListener('change', () => {
    for (const f of [...(input.files ?? [])]) void queue.add(f, f.name, false);
    input.value = '';
  });

  const rules = h(
    'p',
    { id: 'attachment-rules' },
    tr(
      `Du må vedhæfte ${list(
        kinds.map((k) => KINDS[k].da),
        'og',
      )}.`,
      `You may attach ${list(
        kinds.map((k) => KINDS[k].en),
        'and',
      )}.`,
    ),
    limits
      ? ' ' +
          tr(
            `Højst ${limits.maxFiles} filer på højst ${sizeText(limits.maxFileBytes)} hver.`,
            `At most ${limits.maxFiles} files of at most ${sizeText(limits.maxFileBytes)} each.`,
          )
      : '',
  );
  const element = h(
    'section',
    { class: 'attachments', 'aria-labelledby': 'attachments-title' },
    h('h2', { id: 'attachments-title' }, tr('Vedhæftede filer', 'Attached files')),
    rules,
    h('p', { class: 'attachment-pick' }, h('label', { for: 'attachment-input' }, tr('Vedhæft fil', 'Attach file')), ' ', input),
    message,
    queueList,
    doneList,
  );

  let imageCount = 0;
  const sink: FileSink = {
    imagesAllowed: () => kinds.includes('image'),
    refuseImages: () => say(tr('Billeder kan ikke sættes ind i besvarelsen ved denne prøve.', 'Images cannot be put into the answer in this exam.')),
    enqueue(file, image) {
      const key = crypto.randomUUID();
      const ext = file.type.split('/')[1]?.replace('jpeg', 'jpg') ?? 'png';
      // A pasted image is often just "image.png": every one gets a name of its own.
      const name = image ? `billede-${new Date().toISOString().slice(11, 19).replaceAll(':', '')}-${++imageCount}.${ext}` : file.name;
      void queue.add(file, name, image, key);
      return key;
    },
  };

  return {
    /** Shown only when the sitting allows attachments. */
    element: kinds.length ? element : null,
    sink,
    /** The names of the files still on their way (the hand-in dialog warns of them). */
    uploading: (): string[] => queue.list().map((e) => e.file.name),
    /** Resumes what a previous page left in the queue. */
    async start(): Promise<void> {
      for (const f of await queue.restore()) if (f.image) imageShownFrom(fragment, f.key, f.file);
    },
    destroy(): void {
      finished.unobserve(renderDone);
      queue.destroy();
    },
  };
}
