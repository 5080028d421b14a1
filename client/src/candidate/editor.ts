import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import { TableKit } from '@tiptap/extension-table';
import StarterKit from '@tiptap/starter-kit';
import type * as Y from 'yjs';
import { h } from '../shell/dom.ts';
import { tr } from '../shell/i18n.ts';

/** The answer editor: ProseMirror via Tiptap, its document the Yjs fragment `answer` (docs/rules.md §4.3). */
export function createAnswerEditor(mount: HTMLElement, fragment: Y.XmlFragment, o: { spellCheck: boolean }): Editor {
  return new Editor({
    element: mount,
    extensions: [
      // Undo/redo comes from Yjs (Collaboration), so ProseMirror's own history is off.
      StarterKit.configure({ undoRedo: false, link: false, codeBlock: false, code: false }),
      TableKit.configure({ table: { resizable: false } }),
      Collaboration.configure({ fragment }),
    ],
    editorProps: {
      attributes: {
        class: 'answer-editor',
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': tr('Din besvarelse', 'Your answer'),
        spellcheck: String(o.spellCheck),
        lang: 'da',
      },
    },
  });
}

type Action = { label: [string, string]; key: string; run: (e: Editor) => void; active?: (e: Editor) => boolean };

const ACTIONS: Action[] = [
  {
    label: ['Overskrift', 'Heading'],
    key: 'Ctrl+Alt+2',
    run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(),
    active: (e) => e.isActive('heading'),
  },
  { label: ['Fed', 'Bold'], key: 'Ctrl+B', run: (e) => e.chain().focus().toggleBold().run(), active: (e) => e.isActive('bold') },
  { label: ['Kursiv', 'Italic'], key: 'Ctrl+I', run: (e) => e.chain().focus().toggleItalic().run(), active: (e) => e.isActive('italic') },
  { label: ['Understreget', 'Underline'], key: 'Ctrl+U', run: (e) => e.chain().focus().toggleUnderline().run(), active: (e) => e.isActive('underline') },
  {
    label: ['Punktliste', 'Bullet list'],
    key: 'Ctrl+Shift+8',
    run: (e) => e.chain().focus().toggleBulletList().run(),
    active: (e) => e.isActive('bulletList'),
  },
  {
    label: ['Nummereret liste', 'Numbered list'],
    key: 'Ctrl+Shift+7',
    run: (e) => e.chain().focus().toggleOrderedList().run(),
    active: (e) => e.isActive('orderedList'),
  },
  { label: ['Indsæt tabel', 'Insert table'], key: '', run: (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run() },
  { label: ['Tilføj række', 'Add row'], key: '', run: (e) => e.chain().focus().addRowAfter().run() },
  { label: ['Tilføj kolonne', 'Add column'], key: '', run: (e) => e.chain().focus().addColumnAfter().run() },
  { label: ['Fortryd', 'Undo'], key: 'Ctrl+Z', run: (e) => e.chain().focus().undo().run() },
  { label: ['Gentag', 'Redo'], key: 'Ctrl+Shift+Z', run: (e) => e.chain().focus().redo().run() },
];

/**
 * A labelled toolbar; every formatting action also has its keyboard shortcut (keyboard-only use, docs/rules.md §4.8).
 * Alt+F10 in the answer jumps to the toolbar (as in common editors), arrow keys move along it, Escape returns.
 */
export function renderToolbar(editor: Editor): HTMLElement {
  const buttons = ACTIONS.map((a) => {
    const b = h(
      'button',
      {
        type: 'button',
        title: a.key ? `${tr(...a.label)} (${a.key})` : tr(...a.label),
        // Focus moves back at once (Tiptap's own focus waits a frame, and keys typed meanwhile would be lost).
        'aria-keyshortcuts': a.key || undefined,
        onclick: () => {
          editor.view.focus();
          a.run(editor);
        },
      },
      tr(...a.label),
    );
    return { a, b };
  });
  const refresh = () => {
    for (const { a, b } of buttons) {
      b.disabled = !editor.isEditable;
      if (a.active) b.setAttribute('aria-pressed', String(a.active(editor)));
    }
  };
  editor.on('selectionUpdate', refresh);
  editor.on('transaction', refresh);
  editor.on('update', refresh);
  const bar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': tr('Formatering (Alt+F10)', 'Formatting (Alt+F10)') }, ...buttons.map((x) => x.b));
  bar.addEventListener('keydown', (e) => {
    const list = buttons.map((x) => x.b).filter((b) => !b.disabled);
    const i = list.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      list[(i + (e.key === 'ArrowRight' ? 1 : list.length - 1)) % list.length]?.focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      editor.commands.focus();
    }
  });
  editor.view.dom.addEventListener('keydown', (e) => {
    if (e.altKey && e.key === 'F10') {
      e.preventDefault();
      buttons.find((x) => !x.b.disabled)?.b.focus();
    }
  });
  refresh();
  return bar;
}
