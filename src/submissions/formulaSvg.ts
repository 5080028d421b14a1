import { MAX_RENDERED_LATEX_BYTES } from '../protocol/answerDocument.ts';

/** A formula MathJax drew: SVG in em-relative units (1 em = the font size it is set at). */
export interface FormulaSvg {
  svg: string;
  /** Width, height above the baseline and depth below it, in em. */
  width: number;
  ascent: number;
  depth: number;
}

/** Renders one formula, or returns null when it must be printed as its source instead (docs/rules.md §16.6). */
export type FormulaRenderer = (latex: string, display: boolean) => FormulaSvg | null;

/** Past this much SVG a formula is printed as its source: drawing megabytes of paths would stall the worker. */
export const MAX_FORMULA_SVG_CHARS = 1_500_000;
/** Nesting of braces past which MathJax's recursive parser risks the stack or minutes of work: source instead. */
export const MAX_FORMULA_NESTING = 60;
/**
 * Time one PDF may spend in MathJax; MathJax is synchronous and cannot be interrupted, so a pupil who writes many
 * slow formulas gets the rest printed as source rather than holding a worker through the hand-in storm.
 */
export const FORMULA_BUDGET_MS = 4000;

/** Whether a formula is worth giving to MathJax at all: short enough and not deeply nested. */
export function renderable(latex: string): boolean {
  if (!latex.trim() || Buffer.byteLength(latex, 'utf8') > MAX_RENDERED_LATEX_BYTES) return false;
  let depth = 0;
  for (let i = 0; i < latex.length; i++) {
    const c = latex[i];
    if (c === '\\') i++;
    else if (c === '{' && ++depth > MAX_FORMULA_NESTING) return false;
    else if (c === '}') depth = Math.max(0, depth - 1);
  }
  return true;
}

/** Reads size and baseline from MathJax's SVG: its viewBox is in thousandths of an em with the baseline at y = 0. */
export function measureSvg(svg: string): Omit<FormulaSvg, 'svg'> | null {
  const m = /viewBox="(-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+)"/.exec(svg);
  if (!m) return null;
  const [minY, width, height] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (![minY, width, height].every(Number.isFinite) || width <= 0 || height <= 0) return null;
  return { width: width / 1000, ascent: -minY / 1000, depth: (height + minY) / 1000 };
}

let loading: Promise<(latex: string, display: boolean) => string> | null = null;

/**
 * MathJax 4 (TeX in, SVG out, no DOM), set up once per process or worker thread. All of the font's dynamic ranges
 * are loaded up front so that converting is synchronous afterwards and a letter like æ never needs a retry.
 */
function loadMathJax(): Promise<(latex: string, display: boolean) => string> {
  loading ??= (async () => {
    const { mathjax } = await import('@mathjax/src/js/mathjax.js');
    const { TeX } = await import('@mathjax/src/js/input/tex.js');
    const { SVG } = await import('@mathjax/src/js/output/svg.js');
    const { liteAdaptor } = await import('@mathjax/src/js/adaptors/liteAdaptor.js');
    const { RegisterHTMLHandler } = await import('@mathjax/src/js/handlers/html.js');
    await import('@mathjax/src/js/input/tex/base/BaseConfiguration.js');
    await import('@mathjax/src/js/input/tex/ams/AmsConfiguration.js');
    await import('@mathjax/src/js/input/tex/newcommand/NewcommandConfiguration.js');
    await import('@mathjax/src/js/input/tex/boldsymbol/BoldsymbolConfiguration.js');
    await import('@mathjax/src/js/input/tex/cancel/CancelConfiguration.js');
    await import('@mathjax/src/js/input/tex/gensymb/GensymbConfiguration.js');
    mathjax.asyncLoad = (name: string) => import(name);
    const adaptor = liteAdaptor();
    RegisterHTMLHandler(adaptor);
    // formatError rethrows: an error must reach us as an exception, never as a red merror box on the PDF.
    const tex = new TeX({
      packages: ['base', 'ams', 'newcommand', 'boldsymbol', 'cancel', 'gensymb'],
      formatError: (_jax: unknown, err: Error) => {
        throw err;
      },
    });
    const svg = new SVG({ fontCache: 'local', linebreaks: { inline: false } });
    const html = mathjax.document('', { InputJax: tex, OutputJax: svg });
    await svg.font.loadDynamicFiles();
    return (latex: string, display: boolean) => {
      const node = html.convert(latex, { display, em: 16, ex: 8, containerWidth: 80 * 16 });
      // The <svg> element itself, without the mjx-container around it.
      return adaptor.innerHTML(node);
    };
  })();
  return loading;
}

/**
 * A renderer for one PDF: each formula through MathJax unless it is too long, too deep, too slow (over the
 * budget of this PDF), or MathJax refuses it; every failure is null, never an exception.
 */
export async function loadFormulaRenderer(budgetMs = FORMULA_BUDGET_MS): Promise<FormulaRenderer> {
  const convert = await loadMathJax();
  let spent = 0;
  return (latex, display) => {
    if (!renderable(latex)) return null;
    const key = `${display ? 'D' : 'I'}${latex}`;
    const known = recent.get(key);
    if (known !== undefined) return known;
    if (spent > budgetMs) return null; // not remembered: another PDF with budget left renders it
    const started = performance.now();
    let result: FormulaSvg | null;
    try {
      const svg = convert(latex, display);
      const size = svg.length > MAX_FORMULA_SVG_CHARS || svg.includes('data-mjx-error') || svg.includes('data-mml-node="merror"') ? null : measureSvg(svg);
      result = size ? { svg, ...size } : null;
    } catch {
      result = null; // syntax errors, macro loops, stack overflows: printed as source (§16.6)
    }
    spent += performance.now() - started;
    remember(key, result);
    return result;
  };
}

/**
 * Formulas rendered lately by this worker, oldest first: pupils of one sitting write the same formulas (the paper asks
 * for them), so the hand-in storm renders each once per worker. Small entries only, so the cache stays a few MB.
 */
const recent = new Map<string, FormulaSvg | null>();
const RECENT_MAX = 500;
function remember(key: string, value: FormulaSvg | null): void {
  if (key.length > 2000 || (value && value.svg.length > 50_000)) return;
  recent.set(key, value);
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value as string);
}
