/**
 * The one way Prøvesal writes a moment, on every page and in both languages: Europe/Copenhagen (the exam's time
 * zone, whatever the laptop is set to), 24-hour clock with colons ("10:32:15"), the date written out
 * ("24. november 2026"), and the two joined as "24. november 2026 kl. 10:32". da-DK's own style ("10.32.15") and
 * toLocaleString's "24.11.2026 10.32.15" are never used, so a pupil and an invigilator read the same time alike.
 */
import { currentLang } from './i18n.ts';

const ZONE = 'Europe/Copenhagen';

const clock = (withSeconds: boolean) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(withSeconds ? { second: '2-digit' } : {}) });
const CLOCK = { true: clock(true), false: clock(false) };

/** Clock time, "10:32:15" (or "10:32" without seconds). */
export function formatTime(d: Date | string | number, withSeconds = true): string {
  return CLOCK[String(withSeconds) as 'true' | 'false']
    .formatToParts(new Date(d))
    .map((p) => (p.type === 'literal' ? ':' : p.value))
    .join('');
}

/** The date alone, "24. november 2026" (English "24 November 2026"). */
export function formatDate(d: Date | string | number): string {
  return new Date(d).toLocaleDateString(currentLang() === 'da' ? 'da-DK' : 'en-GB', { timeZone: ZONE, dateStyle: 'long' });
}

/** Date and clock time, "24. november 2026 kl. 10:32" (English "24 November 2026 at 10:32"). */
export function formatDateTime(d: Date | string | number, withSeconds = false): string {
  return `${formatDate(d)} ${currentLang() === 'da' ? 'kl.' : 'at'} ${formatTime(d, withSeconds)}`;
}
