/**
 * Sittings are scheduled in Danish local time and stored as UTC instants (docs/rules.md §2). Europe/Copenhagen is
 * UTC+1 in winter and UTC+2 in summer; on the last Sunday of March 02:00–02:59 does not exist, and on the
 * last Sunday of October 02:00–02:59 happens twice. Neither may silently become some other time.
 */
export const EXAM_TIME_ZONE = 'Europe/Copenhagen';

export type LocalTimeResult = { ok: true; instant: Date } | { ok: false; reason: 'invalid' | 'nonexistent' | 'ambiguous'; da: string; en: string };

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: EXAM_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "YYYY-MM-DD HH:MM" of an instant as a clock in Copenhagen shows it. */
export function copenhagenLocal(instant: Date): string {
  const p = Object.fromEntries(formatter.formatToParts(instant).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Converts a Copenhagen wall-clock date and time to the one UTC instant it names, or says why it cannot. */
export function copenhagenToUtc(date: string, time: string): LocalTimeResult {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m || !t) return { ok: false, reason: 'invalid', da: 'Dato skal være ÅÅÅÅ-MM-DD og tid TT:MM.', en: 'Date must be YYYY-MM-DD and time HH:MM.' };
  const [y, mo, d, h, mi] = [+m[1], +m[2], +m[3], +t[1], +t[2]];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  const wanted = `${date} ${time}`;
  if (Number.isNaN(asUtc) || h > 23 || mi > 59 || new Date(asUtc).toISOString().slice(0, 16) !== `${date}T${time}`) {
    return { ok: false, reason: 'invalid', da: `${wanted} er ikke en gyldig dato og tid.`, en: `${wanted} is not a valid date and time.` };
  }
  const matches = [60, 120].map((offsetMin) => new Date(asUtc - offsetMin * 60_000)).filter((i) => copenhagenLocal(i) === wanted);
  if (matches.length === 0) {
    return {
      ok: false,
      reason: 'nonexistent',
      da: `Klokken ${time} findes ikke den ${date} (sommertid begynder). Vælg et andet tidspunkt.`,
      en: `${time} does not exist on ${date} in Denmark (daylight saving starts). Choose another time.`,
    };
  }
  if (matches.length > 1) {
    return {
      ok: false,
      reason: 'ambiguous',
      da: `Klokken ${time} forekommer to gange den ${date} (sommertid slutter). Vælg et andet tidspunkt.`,
      en: `${time} happens twice on ${date} in Denmark (daylight saving ends). Choose another time.`,
    };
  }
  return { ok: true, instant: matches[0] };
}

const daDate = new Intl.DateTimeFormat('da-DK', { timeZone: EXAM_TIME_ZONE, dateStyle: 'long' });

/**
 * An instant as people read it on every page of Prøvesal, "24. november 2026 kl. 13:00" (the client's
 * client/src/shell/time.ts writes it the same way); da-DK's own "13.00" is never used.
 */
export function copenhagenDanish(instant: Date): string {
  return `${daDate.format(instant)} kl. ${copenhagenLocal(instant).slice(11)}`;
}
