const two = (n: number) => String(n).padStart(2, '0');

/**
 * The remaining-time line in both languages. Hours and minutes while there is plenty of time; minutes and
 * seconds in the last 10 minutes (`soon`), when a pupil needs to know exactly.
 */
export function remainingText(leftMs: number, paused: boolean): { da: string; en: string; soon: boolean } {
  if (paused) return { da: 'Pause – tiden står stille', en: 'Paused – the clock is stopped', soon: false };
  if (leftMs <= 0) return { da: 'Tiden er gået', en: 'Time is up', soon: true };
  if (leftMs <= 10 * 60_000) {
    const s = Math.ceil(leftMs / 1000);
    const mmss = `${two(Math.floor(s / 60))}:${two(s % 60)}`;
    return { da: `${mmss} tilbage`, en: `${mmss} left`, soon: true };
  }
  const m = Math.ceil(leftMs / 60_000);
  const hours = Math.floor(m / 60);
  const da = hours ? `${hours} t ${m % 60} min tilbage` : `${m} min tilbage`;
  const en = hours ? `${hours} h ${m % 60} min left` : `${m} min left`;
  return { da, en, soon: false };
}
