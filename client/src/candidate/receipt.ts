import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import { TableKit } from '@tiptap/extension-table';
import StarterKit from '@tiptap/starter-kit';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
// The receipt's hash is defined on the server's plain-text rendering; the very same function checks the local copy.
import { answerPlainText } from '../../../src/protocol/answerDocument.ts';
import type { Receipt } from '../../../src/protocol/control.ts';
import { api, ApiError } from '../shell/api.ts';
import { asyncListener, h } from '../shell/dom.ts';
import { formatDate, formatTime, tr } from '../shell/i18n.ts';
import { enterView } from '../shell/transition.ts';
import { answerNodes } from './answerNodes.ts';

/** The attachments handed in with the answer, each with the SHA-256 of its bytes (docs/rules.md §15.9). */
function attachmentList(r: Receipt): HTMLElement | null {
  if (!r.attachments?.length) return null;
  const size = (n: number) => (n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1000))} kB`);
  return h(
    'section',
    { 'aria-labelledby': 'receipt-attachments-title' },
    h('h2', { id: 'receipt-attachments-title' }, tr('Vedhæftede filer', 'Attachments')),
    h(
      'ul',
      { id: 'receipt-attachments' },
      ...r.attachments.map((a) =>
        h(
          'li',
          { 'data-attachment-id': a.id },
          `${a.name} (${size(a.size)})`,
          h('br'),
          h('abbr', { title: tr('Fingeraftryk af filen', 'Fingerprint of the file') }, 'SHA-256'),
          ': ',
          h('span', { class: 'hash' }, a.sha256),
        ),
      ),
    ),
  );
}

/** The receipt (docs/rules.md §4.7): time, exam number, SHA-256, receipt code; printable on its own. Then a read-only copy. */
export function renderReceipt(root: HTMLElement, subject: string, r: Receipt): () => void {
  const heading = h('h1', { id: 'receipt-title' }, tr('Kvittering for aflevering', 'Hand-in receipt'));
  const copySlot = h('section', { class: 'answer-copy no-print', 'aria-labelledby': 'copy-title' });
  root.replaceChildren(
    h(
      'main',
      { id: 'main', class: 'receipt' },
      h(
        'section',
        { class: 'card receipt-card', 'aria-labelledby': 'receipt-title' },
        heading,
        h('p', { class: 'ok receipt-ok' }, tr('✓ Din besvarelse er afleveret og gemt. Du er færdig.', '✓ Your answer is handed in and stored. You are done.')),
        h(
          'dl',
          {},
          h('dt', {}, tr('Prøve', 'Exam')),
          h('dd', {}, subject),
          h('dt', {}, tr('Prøvenummer', 'Exam number')),
          h('dd', { id: 'receipt-exam-number' }, r.examNumber),
          h('dt', {}, tr('Afleveret', 'Handed in')),
          h(
            'dd',
            { id: 'receipt-time' },
            tr(`${formatDate(r.handedInAt)} kl. ${formatTime(r.handedInAt)}`, `${formatDate(r.handedInAt)} at ${formatTime(r.handedInAt)}`),
          ),
          h('dt', {}, tr('Antal ord', 'Words')),
          h('dd', {}, String(r.wordCount)),
          h('dt', {}, tr('Kvitteringskode', 'Receipt code')),
          h('dd', { id: 'receipt-code', class: 'code' }, r.receiptCode),
          h('dt', {}, h('abbr', { title: tr('Fingeraftryk af din tekst', 'Fingerprint of your text') }, 'SHA-256')),
          h('dd', { class: 'hash', id: 'receipt-sha256' }, r.sha256),
        ),
        attachmentList(r),
        h(
          'p',
          { class: 'hint' },
          tr(
            'SHA-256 er et fingeraftryk af præcis den tekst, du afleverede. Gem eller udskriv kvitteringen.',
            'SHA-256 is a fingerprint of exactly the text you handed in. Keep or print the receipt.',
          ),
        ),
        h(
          'div',
          { class: 'actions no-print' },
          h('button', { type: 'button', class: 'primary', id: 'print-receipt', onclick: () => window.print() }, tr('Udskriv kvittering', 'Print receipt')),
          pdfButton(r.registrationId),
        ),
      ),
      copySlot,
    ),
  );
  enterView(
    heading,
    tr(`Kvittering: ${subject}`, `Receipt: ${subject}`),
    tr(`Din besvarelse er afleveret og gemt. Kvitteringskode ${r.receiptCode}.`, `Your answer is handed in and stored. Receipt code ${r.receiptCode}.`),
  );
  let editor: Editor | null = null;
  let gone = false;
  void localCopy(r).then((doc) => {
    if (gone || !doc) return;
    const mount = h('div', { class: 'answer-copy-text' });
    copySlot.append(
      h('h2', { id: 'copy-title' }, tr('Din afleverede besvarelse', 'Your handed-in answer')),
      h(
        'p',
        { class: 'hint' },
        tr('Kun til læsning. Teksten svarer præcis til kvitteringens SHA-256.', 'Read only. The text matches the receipt’s SHA-256 exactly.'),
      ),
      mount,
    );
    editor = new Editor({
      element: mount,
      editable: false,
      extensions: [StarterKit.configure({ undoRedo: false }), TableKit, ...answerNodes, Collaboration.configure({ document: doc, field: 'answer' })],
      editorProps: { attributes: { 'aria-label': tr('Din afleverede besvarelse', 'Your handed-in answer'), 'aria-readonly': 'true' } },
    });
  });
  return () => {
    gone = true;
    editor?.destroy();
  };
}

/**
 * This browser's copy of the answer (IndexedDB), but only if it is exactly what was handed in: its SHA-256
 * must equal the receipt's (on another device, or after edits elsewhere, it would not be, and is not shown).
 */
async function localCopy(r: Receipt): Promise<Y.Doc | null> {
  if (!globalThis.crypto?.subtle) return null; // not a secure context: cannot check, so do not claim
  const doc = new Y.Doc();
  const idb = new IndexeddbPersistence(`provesal-answer-${r.registrationId}`, doc);
  try {
    await idb.whenSynced;
  } finally {
    await idb.destroy(); // read once; nothing written back
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(answerPlainText(doc)));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return hex === r.sha256 ? doc : null;
}

/** The signed PDF of the answer (the official copy); it is made within moments of the hand-in. */
function pdfButton(registrationId: number): HTMLElement {
  const note = h('span', { role: 'status', class: 'hint' });
  const button = h('button', { type: 'button', id: 'download-pdf' }, tr('Hent besvarelsen som PDF', 'Download the answer as PDF'));
  button.addEventListener(
    'click',
    asyncListener(async () => {
      button.disabled = true;
      note.textContent = '';
      try {
        const blob = await api<Blob>(`/api/submissions/mine/${registrationId}/pdf`);
        const a = h('a', { href: URL.createObjectURL(blob), download: `besvarelse-${registrationId}.pdf` });
        a.click();
        note.textContent = tr('PDF’en er hentet (se dine overførsler).', 'The PDF is downloaded (see your downloads).');
        setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
      } catch (err) {
        note.textContent =
          err instanceof ApiError && err.status === 409
            ? tr('PDF’en er ved at blive lavet. Prøv igen om lidt.', 'The PDF is being made. Try again shortly.')
            : err instanceof ApiError
              ? err.detail
              : String(err);
      } finally {
        button.disabled = false;
      }
    }),
  );
  return h('span', { class: 'pdf-download' }, button, ' ', note);
}
