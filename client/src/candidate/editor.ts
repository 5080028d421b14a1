import { Editor, Extension } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import { TableKit } from '@tiptap/extension-table';
import StarterKit from '@tiptap/starter-kit';
import type * as Y from 'yjs';
import { announce, h } from '../shell/dom.ts';
import { tr } from '../shell/i18n.ts';
import { answerNodes } from './answerNodes.ts';
import { fileInput, type FileSink } from './attachments/editorImages.ts';
import { FORMULA_KEY } from './formula/nodes.ts';

export { renderToolbar } from './toolbar.ts';

/** The id of the visible key help the editor is described by. */
export const EDITOR_KEYS_ID = 'editor-keys';

const LAST_CELL: [string, string] = [
  'Sidste celle i tabellen. Der er ikke tilføjet en række. Brug knappen “Tilføj række”, eller tryk Escape og derefter Tab for at forlade besvarelsen.',
  'Last cell of the table. No row was added. Use the “Add row” button, or press Escape and then Tab to leave the answer.',
];

/**
 * Tab never changes the answer unannounced (docs/accessibility.md): in a table it moves to the next cell and,
 * unlike Tiptap's default, never adds a row at the last cell; in a list it indents the item and says so.
 */
const AnswerKeys = Extension.create({
  name: 'answerKeys',
  priority: 1000, // before the table's and the list item's own Tab
  addKeyboardShortcuts() {
    return {
      Tab: () => {
        if (this.editor.isActive('table')) {
          if (!this.editor.commands.goToNextCell()) announce(tr(...LAST_CELL));
          return true;
        }
        if (this.editor.isActive('listItem') && this.editor.commands.sinkListItem('listItem')) {
          announce(tr('Punktet er rykket ind.', 'The item is indented.'));
          return true;
        }
        return false;
      },
      'Shift-Tab': () => {
        if (this.editor.isActive('table')) return this.editor.commands.goToPreviousCell() || false;
        if (this.editor.isActive('listItem') && this.editor.commands.liftListItem('listItem')) {
          announce(tr('Punktet er rykket ud.', 'The item is outdented.'));
          return true;
        }
        return false;
      },
    };
  },
});

/**
 * Escape, then Tab (or Shift+Tab) always leaves the answer, wherever the caret is: the Tab after an Escape is
 * kept from the editor (captured on the mount, before ProseMirror's own listener) so the browser moves focus.
 */
function escapeThenTabLeaves(mount: HTMLElement): void {
  let escaped = false;
  mount.addEventListener(
    'keydown',
    (e) => {
      if ((e.target as Element | null)?.closest?.('dialog')) return; // the formula dialog has keys of its own
      if (e.key === 'Escape') {
        escaped = true;
        announce(tr('Tryk Tab for at forlade besvarelsen, eller skriv videre.', 'Press Tab to leave the answer, or keep writing.'));
      } else if (e.key === 'Tab' && escaped) {
        escaped = false;
        e.stopPropagation();
      } else if (!['Shift', 'Control', 'Alt', 'Meta'].includes(e.key)) {
        escaped = false;
      }
    },
    true,
  );
}

/** The answer editor: ProseMirror via Tiptap, its document the Yjs fragment `answer` (docs/rules.md §4.3). */
export function createAnswerEditor(mount: HTMLElement, fragment: Y.XmlFragment, o: { spellCheck: boolean; files?: FileSink }): Editor {
  escapeThenTabLeaves(mount);
  return new Editor({
    element: mount,
    extensions: [
      // Undo/redo comes from Yjs (Collaboration), so ProseMirror's own history is off.
      StarterKit.configure({ undoRedo: false, link: false, codeBlock: false, code: false }),
      TableKit.configure({ table: { resizable: false } }),
      Collaboration.configure({ fragment }),
      AnswerKeys,
      ...answerNodes,
    ],
    editorProps: {
      ...fileInput(o.files),
      attributes: {
        id: 'answer-editor',
        class: 'answer-editor',
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': tr('Din besvarelse', 'Your answer'),
        'aria-describedby': EDITOR_KEYS_ID,
        spellcheck: String(o.spellCheck),
        lang: 'da',
      },
    },
  });
}

/** The keys of the answer, visible under it and read as the editor's description. */
export function renderEditorKeys(): HTMLElement {
  const item = (keys: string, da: string, en: string) => h('li', {}, h('kbd', {}, keys), ' ', tr(da, en));
  return h(
    'details',
    { class: 'editor-keys' },
    h('summary', {}, tr('Taster i besvarelsen', 'Keys in the answer')),
    h(
      'ul',
      { id: EDITOR_KEYS_ID },
      item('Esc, Tab', 'forlader besvarelsen (Esc, Skift+Tab går tilbage).', 'leaves the answer (Esc, Shift+Tab goes back).'),
      item('Tab', 'går til næste celle i en tabel; ved sidste celle sker intet.', 'moves to the next table cell; at the last cell nothing happens.'),
      item(
        FORMULA_KEY,
        'indsætter en formel; Enter sætter den ind, Esc fortryder. Enter eller Mellemrum på en markeret formel retter den.',
        'inserts a formula; Enter inserts it, Esc cancels. Enter or Space on a selected formula edits it.',
      ),
      item('Alt+F10', 'går til værktøjslinjen; pile, Home og End flytter; Esc går tilbage.', 'goes to the toolbar; arrows, Home and End move; Esc returns.'),
    ),
  );
}
