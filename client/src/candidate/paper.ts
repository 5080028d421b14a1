import { Editor } from '@tiptap/core';
import { TableKit } from '@tiptap/extension-table';
import StarterKit from '@tiptap/starter-kit';
import { api, ApiError } from '../shell/api.ts';
import { h } from '../shell/dom.ts';
import { tr } from '../shell/i18n.ts';

/** Errors worth another try: the paper is still sealed (our clock estimate was a hair early), offline, or a 5xx. */
const transient = (err: unknown) => err instanceof ApiError && (err.type.endsWith(':paper-sealed') || err.status === 0 || err.status >= 500);

/** Fetches `path`, retrying transient failures with a jittered delay; `waiting` tells the pupil meanwhile. */
export async function patiently<T>(path: string, waiting: () => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await api<T>(path);
    } catch (err) {
      if (!transient(err)) throw err;
      waiting();
      await new Promise((r) => setTimeout(r, Math.min(5_000, 700 * 1.5 ** attempt) * (0.5 + Math.random())));
    }
  }
}

/** The question paper beside the editor: the PDF, and/or its rich text (readable aloud where allowed). */
export async function renderPaper(sittingId: number, mayReadAloud: boolean): Promise<HTMLElement> {
  const box = h('section', { class: 'paper', 'aria-labelledby': 'paper-title' }, h('h2', { id: 'paper-title' }, tr('Opgavesæt', 'Question paper')));
  const status = h('p', { role: 'status' });
  box.append(status);
  const waiting = () => {
    status.textContent = tr('Opgavesættet åbner om et øjeblik…', 'The question paper opens in a moment…');
  };
  let info: { pdf: boolean; text: boolean };
  try {
    info = await patiently(`/api/sittings/${sittingId}/paper/info`, waiting);
    status.textContent = '';
    if (info.text) {
      const { doc } = await patiently<{ doc: object }>(`/api/sittings/${sittingId}/paper/text`, waiting);
      const mount = h('div', { class: 'paper-text' });
      const reader = new Editor({ element: mount, editable: false, content: doc, extensions: [StarterKit, TableKit] });
      mount.firstElementChild?.setAttribute('aria-label', tr('Opgavesættets tekst', 'Text of the question paper'));
      if (mayReadAloud && 'speechSynthesis' in window)
        box.append(
          readAloudControls(
            () => mount,
            () => reader.getText(),
          ),
        );
      box.append(mount);
    }
  } catch (err) {
    status.className = 'warn';
    status.textContent =
      err instanceof ApiError && err.status !== 404
        ? err.detail
        : tr(
            'Der er intet opgavesæt i systemet. Ræk hånden op og spørg den tilsynsførende.',
            'There is no question paper in the system. Raise your hand and ask the invigilator.',
          );
    return box;
  }
  if (info.pdf) {
    box.append(h('iframe', { class: 'paper-pdf', src: `/api/sittings/${sittingId}/paper`, title: tr('Opgavesæt (PDF)', 'Question paper (PDF)') }));
    box.append(
      h(
        'p',
        {},
        h(
          'a',
          { href: `/api/sittings/${sittingId}/paper`, target: '_blank', rel: 'noopener' },
          tr('Åbn opgavesættet i et nyt vindue', 'Open the paper in a new window'),
        ),
      ),
    );
  }
  return box;
}

/**
 * Text-to-speech of the paper (Web Speech API) with a Danish voice when the browser has one. Reads the
 * selected part of the paper if the pupil selected some, otherwise all of it.
 */
export function readAloudControls(paper: () => HTMLElement, text: () => string): HTMLElement {
  const speak = () => {
    speechSynthesis.cancel();
    const sel = window.getSelection();
    const selected = sel && !sel.isCollapsed && paper().contains(sel.anchorNode) ? sel.toString() : '';
    const u = new SpeechSynthesisUtterance(selected || text());
    u.lang = 'da-DK';
    const voices = speechSynthesis.getVoices();
    const voice = voices.find((v) => v.lang === 'da-DK') ?? voices.find((v) => v.lang.toLowerCase().startsWith('da'));
    if (voice) u.voice = voice;
    speechSynthesis.speak(u);
  };
  return h(
    'div',
    { class: 'read-aloud' },
    h('button', { type: 'button', id: 'read-aloud', onclick: speak }, tr('Læs opgaven op', 'Read the paper aloud')),
    h('button', { type: 'button', onclick: () => speechSynthesis.cancel() }, tr('Stop oplæsning', 'Stop reading')),
    h('p', { class: 'hint' }, tr('Markér en del af teksten for kun at få den læst op.', 'Select part of the text to hear only that part.')),
  );
}
