import type { Editor } from '@tiptap/core';
import { announce, h } from '../shell/dom.ts';
import { tr } from '../shell/i18n.ts';
import { openFormulaEditor } from './formula/formulaDialog.ts';
import { FORMULA_KEY } from './formula/nodes.ts';

type Text = [da: string, en: string];
type Action = {
  label: Text;
  key: string;
  run: (e: Editor) => boolean;
  /** A toggle: its state is exposed with aria-pressed. */
  active?: (e: Editor) => boolean;
  /** Said after a change a screen-reader user cannot see (a new row or column). */
  said?: Text;
};

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
  {
    label: ['Indsæt tabel', 'Insert table'],
    key: '',
    run: (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
    said: ['Tabel med 3 rækker og 3 kolonner indsat.', 'Table with 3 rows and 3 columns inserted.'],
  },
  { label: ['Tilføj række', 'Add row'], key: '', run: (e) => e.chain().focus().addRowAfter().run(), said: ['Række tilføjet.', 'Row added.'] },
  { label: ['Tilføj kolonne', 'Add column'], key: '', run: (e) => e.chain().focus().addColumnAfter().run(), said: ['Kolonne tilføjet.', 'Column added.'] },
  { label: ['Formel', 'Formula'], key: FORMULA_KEY, run: (e) => (openFormulaEditor(e, { display: false, pos: null }), true) },
  { label: ['Formel på egen linje', 'Formula on its own line'], key: '', run: (e) => (openFormulaEditor(e, { display: true, pos: null }), true) },
  { label: ['Fortryd', 'Undo'], key: 'Ctrl+Z', run: (e) => e.chain().focus().undo().run() },
  { label: ['Gentag', 'Redo'], key: 'Ctrl+Shift+Z', run: (e) => e.chain().focus().redo().run() },
];

/**
 * A labelled toolbar; every formatting action also has its keyboard shortcut (keyboard-only use, docs/rules.md §4.8).
 * It is one Tab stop (a roving tabindex, WAI-ARIA's toolbar pattern): arrow keys, Home and End move along it,
 * Alt+F10 in the answer jumps to it, Escape returns to the text (docs/accessibility.md).
 */
export function renderToolbar(editor: Editor): HTMLElement {
  let current = 0;
  const buttons = ACTIONS.map((a, i) => {
    const b = h(
      'button',
      {
        type: 'button',
        tabindex: '-1',
        title: a.key ? `${tr(...a.label)} (${a.key})` : tr(...a.label),
        'aria-keyshortcuts': a.key || undefined,
        onclick: () => {
          current = i;
          // Focus moves back at once (Tiptap's own focus waits a frame, and keys typed meanwhile would be lost).
          editor.view.focus();
          if (a.run(editor) && a.said) announce(tr(...a.said));
        },
      },
      tr(...a.label),
    );
    return { a, b };
  });
  const refresh = () => {
    for (const [i, { a, b }] of buttons.entries()) {
      b.disabled = !editor.isEditable;
      b.tabIndex = i === current ? 0 : -1;
      if (a.active) b.setAttribute('aria-pressed', String(a.active(editor)));
    }
  };
  const move = (to: number) => {
    current = (to + buttons.length) % buttons.length;
    refresh();
    buttons[current].b.focus();
  };
  editor.on('selectionUpdate', refresh);
  editor.on('transaction', refresh);
  editor.on('update', refresh);
  const bar = h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': tr('Formatering (Alt+F10)', 'Formatting (Alt+F10)'), 'aria-controls': 'answer-editor' },
    ...buttons.map((x) => x.b),
  );
  bar.addEventListener('keydown', (e) => {
    const next: Record<string, number> = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: buttons.length - 1 };
    if (e.key in next) {
      e.preventDefault();
      move(next[e.key]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      editor.commands.focus();
    }
  });
  editor.view.dom.addEventListener('keydown', (e) => {
    if (e.altKey && e.key === 'F10' && editor.isEditable) {
      e.preventDefault();
      buttons[current].b.focus();
    }
  });
  refresh();
  return bar;
}
