/** Danish first, English switchable. Every string is written in both languages where it is used. */
export type Lang = 'da' | 'en';

const KEY = 'provesal.lang';
let lang: Lang = (localStorage.getItem(KEY) as Lang) || 'da';
document.documentElement.lang = lang;

export const currentLang = (): Lang => lang;

export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem(KEY, next);
  document.documentElement.lang = next;
}

/** Picks the string for the current language. */
export const tr = (da: string, en: string): string => (lang === 'da' ? da : en);

// The time formatters live in time.ts; they are re-exported here because every view already imports i18n.
export { formatDate, formatDateTime, formatTime } from './time.ts';
