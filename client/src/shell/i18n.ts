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

/**
 * Clock time in Europe/Copenhagen, the exam's time zone, whatever the laptop is set to. Written 10:32:15 in
 * both languages, as the pupil sees it everywhere in the product (da-DK's own style would be 10.32.15).
 */
export function formatTime(d: Date | string | number, withSeconds = true): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Copenhagen',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(withSeconds ? { second: '2-digit' } : {}),
  })
    .formatToParts(new Date(d))
    .map((p) => (p.type === 'literal' ? ':' : p.value))
    .join('');
}

export function formatDateTime(d: Date | string | number): string {
  return new Date(d).toLocaleString(lang === 'da' ? 'da-DK' : 'en-GB', {
    timeZone: 'Europe/Copenhagen',
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** The date alone, in Europe/Copenhagen ("24. november 2026"). */
export function formatDate(d: Date | string | number): string {
  return new Date(d).toLocaleDateString(lang === 'da' ? 'da-DK' : 'en-GB', { timeZone: 'Europe/Copenhagen', dateStyle: 'long' });
}
