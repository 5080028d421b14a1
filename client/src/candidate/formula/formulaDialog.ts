import './formula.css';
import type { Editor } from '@tiptap/core';
import { Selection, TextSelection, type Transaction } from '@tiptap/pm/state';
import type { MathfieldElement } from 'mathlive';
import { FORMULA_BLOCK, FORMULA_INLINE, LATEX_ATTR } from '../../../../src/protocol/answerDocument.ts';
import { announce, h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import { openDialog } from '../../shell/transition.ts';
import { loadMathLive } from './mathlive.ts';

type Keyboard = { show(): void; hide(): void; visible: boolean; container: HTMLElement | null } & EventTarget;
const keyboard = (): Keyboard | undefined => (globalThis as unknown as { mathVirtualKeyboard?: Keyboard }).mathVirtualKeyboard;

/**
 * Opens MathLive's math field for a new formula (pos null: at the selection) or the formula at `pos`, in a modal
 * dialog: in place inside ProseMirror the field would fight the editor for keys, selection and focus. Enter or
 * "Færdig" writes the LaTeX into the node; Escape or "Annuller" keeps the old value (a new formula is not made);
 * either way the caret returns to the answer right after the formula (docs/accessibility.md).
 */
export function openFormulaEditor(editor: Editor, o: { display: boolean; pos: number | null }): void {
  if (!editor.isEditable || document.querySelector('dialog.formula-dialog')) return;
  const existing = o.pos === null ? null : editor.state.doc.nodeAt(o.pos);
  const old = existing && typeof existing.attrs[LATEX_ATTR] === 'string' ? (existing.attrs[LATEX_ATTR] as string) : '';
  let from = o.pos ?? editor.state.selection.from;
  let to = existing ? from + existing.nodeSize : editor.state.selection.to;
  // Another device may change the answer while the dialog is open: the place follows its edits.
  const track = ({ transaction }: { transaction: Transaction }) => {
    from = transaction.mapping.map(from);
    to = Math.max(from, transaction.mapping.map(to, -1));
  };
  editor.on('transaction', track);
  // Writing stops (time up, a pause, the lockdown): the dialog closes and keeps nothing new.
  const stopped = () => {
    if (!editor.isEditable) finish(false);
  };
  editor.on('update', stopped);

  const title = o.display ? tr('Formel på egen linje', 'Formula on its own line') : tr('Formel', 'Formula');
  const heading = h('h2', {}, title);
  const hint = h(
    'p',
    { class: 'hint' },
    tr(
      'Skriv formlen, fx x^2 for x i anden og / for en brøk. Enter eller “Færdig” sætter den ind, Esc fortryder.',
      'Type the formula, e.g. x^2 for x squared and / for a fraction. Enter or “Done” inserts it, Esc cancels.',
    ),
  );
  const slot = h('div', { class: 'formula-field' }, h('p', {}, tr('Henter formeleditoren …', 'Loading the formula editor …')));
  const keys = h('button', { type: 'button', 'aria-pressed': 'false', disabled: true }, tr('Matematiktastatur', 'Maths keyboard'));
  const done = h('button', { type: 'button', class: 'primary' }, tr('Færdig', 'Done'));
  const cancel = h('button', { type: 'button' }, tr('Annuller', 'Cancel'));
  const dialog = h('dialog', { class: 'formula-dialog' }, heading, hint, slot, h('div', { class: 'actions' }, keys, done, cancel));
  let field: MathfieldElement | null = null;

  const finish = (commit: boolean): void => {
    if (!dialog.open) return;
    editor.off('transaction', track);
    editor.off('update', stopped);
    if (!editor.isEditable) commit = false;
    const vk = keyboard();
    if (vk?.visible) vk.hide();
    const latex = commit && field ? field.value.trim() : old;
    const t = editor.state.tr;
    if (latex !== old) {
      if (existing && !latex) t.delete(from, to);
      else if (existing) t.setNodeAttribute(from, LATEX_ATTR, latex);
      else t.replaceRangeWith(from, to, editor.schema.nodes[o.display ? FORMULA_BLOCK : FORMULA_INLINE]!.create({ [LATEX_ATTR]: latex }));
    }
    // The caret goes right after the formula (or back where it was when there is none). A new one may have been put
    // after its paragraph rather than at the caret, so its end is read from the step that inserted it.
    let after = latex ? t.mapping.map(to, 1) : t.mapping.map(from, -1);
    if (latex && !existing) t.mapping.maps.at(-1)?.forEach((_from, _to, _start, end) => (after = end));
    const $after = t.doc.resolve(after);
    if ($after.parent.inlineContent) t.setSelection(TextSelection.create(t.doc, after));
    else {
      // A display formula at the end would leave nowhere to write on: a paragraph follows it.
      if (!$after.nodeAfter) t.insert(after, editor.schema.nodes.paragraph!.create());
      t.setSelection(Selection.near(t.doc.resolve(after), 1));
    }
    editor.view.dispatch(t.scrollIntoView());
    dialog.close();
    editor.view.focus();
    if (commit && latex !== old) announce(latex ? tr('Formlen er indsat.', 'The formula is inserted.') : tr('Formlen er fjernet.', 'The formula is removed.'));
  };

  done.addEventListener('click', () => finish(true));
  cancel.addEventListener('click', () => finish(false));
  // Captured before MathLive sees the key: Enter commits, Escape cancels (MathLive would keep both to itself).
  dialog.addEventListener(
    'keydown',
    (e) => {
      if (e.key === 'Enter' && e.target === field && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault();
        e.stopPropagation();
        finish(true);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        finish(false);
      }
    },
    true,
  );
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    finish(false);
  });
  dialog.addEventListener('close', () => dialog.remove());
  keys.addEventListener('click', () => {
    const vk = keyboard();
    if (!vk) return;
    if (vk.visible) vk.hide();
    else vk.show();
    field?.focus();
  });
  // Inside the editor's mount, which the lockdown guard watches: its paste rule covers the math field too.
  (editor.view.dom.parentElement ?? document.body).append(dialog);
  openDialog(dialog, heading, editor.view.dom);

  loadMathLive().then(
    (ml) => {
      if (!dialog.open) return;
      const mf = new ml.MathfieldElement();
      mf.setAttribute('aria-label', title);
      mf.mathVirtualKeyboardPolicy = 'manual';
      mf.value = old;
      slot.replaceChildren(mf);
      field = mf;
      const vk = keyboard();
      if (vk) {
        // The page behind a modal dialog is inert: the keyboard must live inside the dialog to be usable.
        vk.container = dialog;
        const sync = () => keys.setAttribute('aria-pressed', String(vk.visible));
        vk.addEventListener('virtual-keyboard-toggle', sync);
        dialog.addEventListener('close', () => vk.removeEventListener('virtual-keyboard-toggle', sync));
        keys.disabled = false;
      }
      mf.focus();
    },
    () => {
      slot.replaceChildren(
        h(
          'p',
          { role: 'status' },
          tr(
            'Formeleditoren kunne ikke hentes. Prøv igen, når der er forbindelse; din besvarelse er ikke ændret.',
            'The formula editor could not be loaded. Try again when you are online; your answer is unchanged.',
          ),
        ),
      );
      cancel.focus();
    },
  );
}
