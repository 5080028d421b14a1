import type { ViewContext } from './context.ts';
import { h } from './dom.ts';
import { currentLang, setLang, tr } from './i18n.ts';

const PREFS = 'provesal.prefs';
type Prefs = { textSize: 'normal' | 'large' | 'xlarge'; contrast: boolean };
const loadPrefs = (): Prefs => ({ textSize: 'normal', contrast: false, ...JSON.parse(localStorage.getItem(PREFS) ?? '{}') });

/** Applies text size and contrast (accessibility settings, docs/rules.md §4.8) to the whole page. */
export function applyPrefs(p: Prefs = loadPrefs()): void {
  document.documentElement.dataset.textSize = p.textSize;
  document.documentElement.dataset.contrast = p.contrast ? 'high' : 'normal';
}

export function renderHeader(ctx: ViewContext): HTMLElement {
  const prefs = loadPrefs();
  const save = () => {
    localStorage.setItem(PREFS, JSON.stringify(prefs));
    applyPrefs(prefs);
  };
  const size = h(
    'select',
    {
      id: 'text-size',
      'aria-label': tr('Tekststørrelse', 'Text size'),
      onchange: (e: Event) => {
        prefs.textSize = (e.target as HTMLSelectElement).value as Prefs['textSize'];
        save();
      },
    },
    ...(
      [
        ['normal', tr('Normal tekst', 'Normal text')],
        ['large', tr('Stor tekst', 'Large text')],
        ['xlarge', tr('Meget stor tekst', 'Extra large text')],
      ] as const
    ).map(([v, label]) => h('option', { value: v, selected: prefs.textSize === v }, label)),
  );
  const contrast = h(
    'button',
    {
      type: 'button',
      'aria-pressed': String(prefs.contrast),
      onclick: () => {
        prefs.contrast = !prefs.contrast;
        contrast.setAttribute('aria-pressed', String(prefs.contrast));
        save();
      },
    },
    tr('Høj kontrast', 'High contrast'),
  );
  const lang = h(
    'button',
    {
      type: 'button',
      id: 'lang-toggle',
      lang: currentLang() === 'da' ? 'en' : 'da',
      onclick: () => {
        setLang(currentLang() === 'da' ? 'en' : 'da');
        ctx.rerender();
      },
    },
    currentLang() === 'da' ? 'English' : 'Dansk',
  );
  return h(
    'header',
    { class: 'topbar' },
    h('a', { class: 'skip', href: '#main' }, tr('Spring til indhold', 'Skip to content')),
    h('strong', { class: 'brand' }, 'Prøvesal'),
    h('span', { class: 'who' }, ctx.user.displayName),
    h('div', { class: 'tools' }, size, contrast, lang, h('button', { type: 'button', id: 'logout', onclick: () => ctx.signOut() }, tr('Log ud', 'Sign out'))),
  );
}
