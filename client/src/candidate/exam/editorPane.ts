import type { Editor } from '@tiptap/core';
import type * as Y from 'yjs';
import { countWords } from '../../../../src/protocol/answerDocument.ts';
import { h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import { createAnswerEditor, renderEditorKeys, renderToolbar } from '../editor.ts';

/** The answer column (docs/rules.md §4.3) and the word count the bar shows. */
export function createEditorPane(fragment: Y.XmlFragment, o: Parameters<typeof createAnswerEditor>[2]) {
  const mount = h('div', { class: 'editor-mount' });
  const words = h('p', { class: 'word-count', id: 'word-count', 'aria-live': 'off' });
  const element = h(
    'section',
    { class: 'answer', 'aria-labelledby': 'answer-title' },
    h('h2', { id: 'answer-title', class: 'sr-only' }, tr('Din besvarelse', 'Your answer')),
    mount,
    renderEditorKeys(),
  );
  let editor: Editor | null = null;

  const showWords = (): void => {
    if (!editor) return;
    const n = countWords(editor.getText());
    words.textContent = tr(`${n} ord`, `${n} words`);
  };

  return {
    element,
    words,
    /** The element the lockdown guard watches for paste and drop. */
    editorRoot: mount,
    /** Creates the editor once the pane is in the page. */
    attach(): void {
      editor = createAnswerEditor(mount, fragment, o);
      mount.before(renderToolbar(editor));
      editor.on('update', showWords);
      showWords();
    },
    showWords,
    /** Only on a change: setEditable re-renders the editor, which every second would disturb typing. */
    setEditable(editable: boolean): void {
      if (editor && editor.isEditable !== editable) editor.setEditable(editable);
    },
    destroy(): void {
      editor?.destroy();
    },
  };
}
