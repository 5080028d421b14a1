import './simpleEditor.css';
import type * as Y from 'yjs';
import { h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import { blocksOf, joinWithPrevious, setParagraphText, SIMPLE_ORIGIN, splitParagraph, textDiff, type Block } from './simpleBlocks.ts';

const BLOCK_NAMES: Record<string, [string, string]> = {
  heading: ['overskrift', 'heading'],
  bulletList: ['punktliste', 'bullet list'],
  orderedList: ['nummereret liste', 'numbered list'],
  table: ['tabel', 'table'],
  paragraph: ['afsnit med linjeskift', 'paragraph with line breaks'],
  mathInline: ['afsnit med formel', 'paragraph with a formula'],
  mathDisplay: ['formel', 'formula'],
};

/**
 * Simple writing mode (docs/rules.md §13): one ordinary <textarea> per paragraph, which read-aloud and word
 * prediction tools handle, editing the same Yjs fragment as the rich editor. Headings, lists and tables are
 * shown read-only as their text and kept untouched.
 */
export class SimpleEditor {
  readonly element = h('div', { class: 'simple-writing', lang: 'da' });
  private readonly list = h('div', { class: 'simple-blocks' });
  private readonly note = h('p', { class: 'simple-note', hidden: true });
  private areas: { ta: HTMLTextAreaElement; block: Block | null }[] = [];
  private editable = true;

  constructor(
    private readonly fragment: Y.XmlFragment,
    private readonly spellCheck: boolean,
  ) {
    this.element.append(this.note, this.list);
    fragment.observeDeep(this.onChange);
  }

  private readonly onChange = (_events: unknown, tx: Y.Transaction) => {
    if (tx.origin !== SIMPLE_ORIGIN) this.reconcile();
  };

  /** Another device, the rich editor or the server changed the answer: same blocks → update text in place (caret kept). */
  private reconcile(): void {
    const blocks = blocksOf(this.fragment);
    const same =
      blocks.length === this.areas.length && blocks.every((b, i) => this.areas[i]!.block?.element === b.element && this.areas[i]!.block?.kind === b.kind);
    if (!same) return this.render();
    blocks.forEach((b, i) => {
      const { ta } = this.areas[i]!;
      this.areas[i]!.block = b;
      if (ta.value === b.text) return;
      const focused = document.activeElement === ta;
      const [s, e] = [ta.selectionStart, ta.selectionEnd];
      const d = textDiff(ta.value, b.text);
      ta.value = b.text;
      if (focused) {
        const shift = (p: number) => (p <= d.index ? p : Math.max(d.index, p + d.insert.length - d.remove));
        ta.setSelectionRange(shift(s), shift(e));
      }
    });
  }

  /** Rebuilds the list of text areas, keeping focus on the same block number. */
  render(focus?: { index: number; caret: number }): void {
    const active = this.areas.findIndex((a) => a.ta === document.activeElement);
    const blocks = blocksOf(this.fragment);
    const shown: (Block | null)[] = blocks.length ? blocks : [null];
    this.areas = [];
    const rows = shown.map((b, i) => this.row(b, i));
    this.list.replaceChildren(...rows);
    const others = blocks.filter((b) => b.kind === 'other').length;
    this.note.hidden = others === 0;
    this.note.textContent = tr(
      `${others} ${others === 1 ? 'del' : 'dele'} af besvarelsen (overskrifter, lister, tabeller, formler) kan kun ændres i den almindelige editor. Her vises de som tekst, og de bevares.`,
      `${others} ${others === 1 ? 'part' : 'parts'} of the answer (headings, lists, tables, formulas) can only be changed in the ordinary editor. They are shown as text here and kept.`,
    );
    const target = focus ?? (active >= 0 ? { index: Math.min(active, this.areas.length - 1), caret: -1 } : null);
    const ta = target ? this.areas[target.index]?.ta : undefined;
    if (ta && !ta.readOnly) {
      ta.focus();
      if (target!.caret >= 0) ta.setSelectionRange(target!.caret, target!.caret);
    }
  }

  private row(b: Block | null, i: number): HTMLElement {
    const n = i + 1;
    const id = `simple-block-${n}`;
    const ta = h('textarea', {
      id,
      class: 'simple-paragraph',
      rows: 3,
      spellcheck: String(this.spellCheck),
      lang: 'da',
    }) as HTMLTextAreaElement;
    ta.value = b?.text ?? '';
    this.areas.push({ ta, block: b });
    if (b?.kind === 'other') {
      ta.readOnly = true;
      ta.setAttribute('aria-readonly', 'true');
      const kind = BLOCK_NAMES[b.name] ?? ['anden del', 'other part'];
      return h(
        'div',
        { class: 'simple-row simple-other' },
        h('label', { for: id }, tr(`Afsnit ${n} (${kind[0]}, kun læsning)`, `Paragraph ${n} (${kind[1]}, read only)`)),
        ta,
      );
    }
    ta.readOnly = !this.editable;
    ta.addEventListener('input', () => {
      const entry = this.areas[i]!;
      const el = setParagraphText(this.fragment, entry.block?.kind === 'paragraph' ? entry.block.element : null, ta.value);
      entry.block = { kind: 'paragraph', element: el, text: ta.value };
    });
    ta.addEventListener('keydown', (e) => this.onKey(e, i, ta));
    return h('div', { class: 'simple-row' }, h('label', { for: id }, tr(`Afsnit ${n}`, `Paragraph ${n}`)), ta);
  }

  private onKey(e: KeyboardEvent, i: number, ta: HTMLTextAreaElement): void {
    if (ta.readOnly || e.isComposing || e.ctrlKey || e.altKey || e.metaKey) return;
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      if (ta.selectionStart !== ta.selectionEnd) {
        ta.setRangeText('', ta.selectionStart, ta.selectionEnd, 'start');
        ta.dispatchEvent(new Event('input'));
      }
      if (!this.areas[i]!.block) setParagraphText(this.fragment, null, ta.value);
      splitParagraph(this.fragment, i, ta.selectionStart);
      this.render({ index: i + 1, caret: 0 });
    } else if (e.key === 'Backspace' && ta.selectionStart === 0 && ta.selectionEnd === 0 && i > 0) {
      const caret = joinWithPrevious(this.fragment, i);
      if (caret === null) return;
      e.preventDefault();
      this.render({ index: i - 1, caret });
    }
  }

  setEditable(editable: boolean): void {
    if (this.editable === editable) return;
    this.editable = editable;
    for (const { ta, block } of this.areas) ta.readOnly = !editable || block?.kind === 'other';
  }

  /** Focus on the first paragraph (after switching mode). */
  focus(): void {
    this.areas.find((a) => !a.ta.readOnly)?.ta.focus();
  }

  destroy(): void {
    this.fragment.unobserveDeep(this.onChange);
  }
}

/**
 * The "Enkel skrivning" switch beside the rich editor: shown once the school or the invigilator allowed the
 * mode; the pupil's choice is kept across reloads in this browser. `answer` is the answer section, `mount` the
 * rich editor's element (the lockdown guard watches it, so the text areas go inside it too).
 */
export function mountSimpleWriting(answer: HTMLElement, mount: HTMLElement, registrationId: number, fragment: Y.XmlFragment, o: { spellCheck: boolean }) {
  const key = `provesal.simple.${registrationId}`;
  const editor = new SimpleEditor(fragment, o.spellCheck);
  const button = h('button', { type: 'button', id: 'simple-switch', class: 'simple-switch', 'aria-pressed': 'false' }, tr('Enkel skrivning', 'Simple writing'));
  const hint = h(
    'span',
    { class: 'muted simple-hint' },
    tr('Almindelige tekstfelter, som oplæsnings- og ordforslagsprogrammer kan bruge.', 'Plain text fields that read-aloud and word prediction tools can use.'),
  );
  const bar = h('div', { class: 'simple-bar', hidden: true }, button, hint);
  answer.querySelector('h2')?.after(bar);
  mount.append(editor.element);
  let on = false;
  const set = (value: boolean, focus: boolean) => {
    on = value;
    button.setAttribute('aria-pressed', String(on));
    answer.classList.toggle('simple-on', on);
    if (on) {
      editor.render();
      if (focus) editor.focus();
    }
    localStorage.setItem(key, on ? '1' : '0');
  };
  button.addEventListener('click', () => set(!on, true));
  return {
    /** The server's flag (exam view or window control): the switch appears, and a previous choice is restored. */
    allow(allowed: boolean): void {
      if (allowed === !bar.hidden) return;
      bar.hidden = !allowed;
      if (allowed && localStorage.getItem(key) === '1') set(true, false);
      if (!allowed && on) set(false, false);
    },
    setEditable: (editable: boolean) => editor.setEditable(editable),
    destroy: () => editor.destroy(),
  };
}
