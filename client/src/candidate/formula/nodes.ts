import { Extension, Node, mergeAttributes, type Editor } from '@tiptap/core';
import { NodeSelection } from '@tiptap/pm/state';
import { FORMULA_BLOCK, FORMULA_INLINE, formulaText, LATEX_ATTR } from '../../../../src/protocol/answerDocument.ts';
import { tr } from '../../shell/i18n.ts';
import { openFormulaEditor } from './formulaDialog.ts';
import { loadedMathLive, loadMathLive } from './mathlive.ts';

/** The key that inserts an inline formula (Word's equation key); documented in the editor's key help. */
export const FORMULA_KEY = 'Alt+=';

const latexOf = (attrs: Record<string, unknown>): string => (typeof attrs[LATEX_ATTR] === 'string' ? attrs[LATEX_ATTR] : '');

/**
 * Draws a formula as it will be printed (MathLive's static markup) and names it by its spoken form, so a
 * screen reader says "Formel: x squared plus 1" rather than reading glyphs. Until MathLive is here, the LaTeX.
 */
function draw(dom: HTMLElement, visual: HTMLElement, latex: string, display: boolean): void {
  const ml = loadedMathLive();
  if (!latex.trim()) {
    visual.textContent = '□';
    dom.setAttribute('aria-label', tr('Tom formel', 'Empty formula'));
    return;
  }
  if (!ml) {
    visual.textContent = latex;
    dom.setAttribute('aria-label', tr(`Formel: ${latex}`, `Formula: ${latex}`));
    void loadMathLive().then(() => {
      if (dom.dataset.latex === latex) draw(dom, visual, latex, display);
    });
    return;
  }
  let spoken = latex;
  try {
    visual.innerHTML = ml.convertLatexToMarkup(latex, { defaultMode: display ? 'math' : 'inline-math' });
    // MathLive quotes single letters (" 'X' squared"): the quotes would be read aloud as such by some readers.
    spoken =
      ml
        .convertLatexToSpeakableText(latex)
        .replace(/'([^'\s]+)'/g, '$1')
        .replace(/\s+/g, ' ')
        .trim() || latex;
  } catch {
    visual.textContent = latex; // LaTeX MathLive cannot lay out is shown as its source, as the PDF prints it
  }
  dom.setAttribute('aria-label', tr(`Formel: ${spoken}`, `Formula: ${spoken}`));
}

function formulaNode(name: string, display: boolean) {
  const tag = display ? 'div' : 'span';
  return Node.create({
    name,
    group: display ? 'block' : 'inline',
    inline: !display,
    atom: true,
    selectable: true,
    draggable: false,
    addAttributes() {
      return {
        [LATEX_ATTR]: {
          default: '',
          parseHTML: (el: HTMLElement) => el.getAttribute('data-latex') ?? '',
          renderHTML: (attrs: Record<string, unknown>) => ({ 'data-latex': latexOf(attrs) }),
        },
      };
    },
    parseHTML() {
      return [{ tag: `${tag}[data-formula="${name}"]` }];
    },
    // Copied as HTML the formula keeps its node (parseHTML above); as plain text it is its LaTeX (rules §16.2).
    renderHTML({ HTMLAttributes, node }) {
      return [tag, mergeAttributes(HTMLAttributes, { 'data-formula': name }), formulaText(name, latexOf(node.attrs))];
    },
    renderText({ node }) {
      return formulaText(name, latexOf(node.attrs));
    },
    addNodeView() {
      return ({ node, editor, getPos }) => {
        const dom = document.createElement(tag);
        dom.className = `formula ${display ? 'formula-display' : 'formula-inline'}`;
        dom.setAttribute('role', 'math');
        const visual = document.createElement('span');
        visual.setAttribute('aria-hidden', 'true');
        dom.append(visual);
        let current = node;
        const show = () => {
          dom.dataset.latex = latexOf(current.attrs);
          draw(dom, visual, dom.dataset.latex, display);
        };
        show();
        dom.addEventListener('dblclick', () => {
          const pos = getPos();
          if (typeof pos === 'number') openFormulaEditor(editor, { display, pos });
        });
        return {
          dom,
          update: (next) => {
            if (next.type !== current.type) return false;
            const changed = latexOf(next.attrs) !== latexOf(current.attrs);
            current = next;
            if (changed) show();
            return true;
          },
          ignoreMutation: () => true,
        };
      };
    },
  });
}

export const MathInline = formulaNode(FORMULA_INLINE, false);
export const MathDisplay = formulaNode(FORMULA_BLOCK, true);

/** The formula selected as a node, with its position, if any. */
function selectedFormula(editor: Editor): { pos: number; display: boolean } | null {
  const sel = editor.state.selection;
  if (!(sel instanceof NodeSelection)) return null;
  const name = sel.node.type.name;
  return name === FORMULA_INLINE || name === FORMULA_BLOCK ? { pos: sel.from, display: name === FORMULA_BLOCK } : null;
}

/** Alt+= opens a new inline formula; Enter or Space on a selected formula opens it again (docs/accessibility.md). */
export const FormulaKeys = Extension.create({
  name: 'formulaKeys',
  priority: 1100, // before the list item's and the paragraph's own Enter
  addKeyboardShortcuts() {
    const reopen = () => {
      const f = selectedFormula(this.editor);
      if (!f || !this.editor.isEditable) return false;
      openFormulaEditor(this.editor, f);
      return true;
    };
    return {
      'Alt-=': () => {
        if (!this.editor.isEditable) return false;
        openFormulaEditor(this.editor, { display: false, pos: null });
        return true;
      },
      Enter: reopen,
      Space: reopen,
    };
  },
  onCreate() {
    // Fetched while the pupil reads the paper, so the first formula opens at once (and stored ones are drawn).
    setTimeout(() => void loadMathLive().catch((err: unknown) => console.warn('MathLive did not load', err)), 0);
  },
});

/** What an answer editor needs to hold formulas: the nodes, and for an editable one the keys. */
export const formulaExtensions = [MathInline, MathDisplay, FormulaKeys];
