import { Editor } from '@tiptap/core';
import { TableKit } from '@tiptap/extension-table';
import StarterKit from '@tiptap/starter-kit';
import { api, ApiError } from '../shell/api.ts';
import { h } from '../shell/dom.ts';
import { currentLang, tr } from '../shell/i18n.ts';

/** The question paper beside the editor: the PDF, and/or its rich text (readable aloud where allowed). */
export async function renderPaper(sittingId: number, mayReadAloud: boolean): Promise<HTMLElement> {
  const box = h('section', { class: 'paper', 'aria-label': tr('Opgavesæt', 'Question paper') }, h('h2', {}, tr('Opgavesæt', 'Question paper')));
  let info: { pdf: boolean; text: boolean };
  try {
    info = await api(`/api/sittings/${sittingId}/paper/info`);
  } catch (err) {
    box.append(h('p', { class: 'warn', role: 'status' }, err instanceof ApiError && err.status !== 404
      ? err.detail : tr('Opgavesættet er ikke tilgængeligt endnu. Spørg den tilsynsførende.', 'The question paper is not available yet. Ask the invigilator.')));
    return box;
  }
  if (info.text) {
    const { doc } = await api<{ doc: object }>(`/api/sittings/${sittingId}/paper/text`);
    const mount = h('div', { class: 'paper-text' });
    const reader = new Editor({ element: mount, editable: false, content: doc, extensions: [StarterKit, TableKit] });
    if (mayReadAloud && 'speechSynthesis' in window) box.append(readAloudControls(() => reader.getText()));
    box.append(mount);
  }
  if (info.pdf) {
    box.append(h('iframe', { class: 'paper-pdf', src: `/api/sittings/${sittingId}/paper`, title: tr('Opgavesæt (PDF)', 'Question paper (PDF)') }));
    box.append(h('p', {}, h('a', { href: `/api/sittings/${sittingId}/paper`, target: '_blank', rel: 'noopener' }, tr('Åbn opgavesættet i et nyt vindue', 'Open the paper in a new window'))));
  }
  return box;
}

/** Text-to-speech of the paper (Web Speech API), a Danish voice when the browser has one. */
function readAloudControls(text: () => string): HTMLElement {
  const speak = () => {
    speechSynthesis.cancel();
    const u = new SpeechSynthesisUtterance(text());
    u.lang = currentLang() === 'da' ? 'da-DK' : 'en-GB';
    const voice = speechSynthesis.getVoices().find((v) => v.lang.startsWith(u.lang.slice(0, 2)));
    if (voice) u.voice = voice;
    speechSynthesis.speak(u);
  };
  return h('div', { class: 'read-aloud' },
    h('button', { type: 'button', onclick: speak }, tr('Læs opgaven op', 'Read the paper aloud')),
    h('button', { type: 'button', onclick: () => speechSynthesis.cancel() }, tr('Stop oplæsning', 'Stop reading')));
}
