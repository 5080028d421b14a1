import { describe, expect, it } from 'vitest';
import { timeNotice as notice, type Clock } from '../../client/src/candidate/exam/timeNoticeRule.ts';

const MIN = 60_000;
const end = Date.parse('2026-05-04T10:00:00Z'); // 12.00 in Copenhagen
/** HH.MM in Copenhagen (summer time), as the page shows it. */
const hhmm = (ms: number) => new Date(ms + 2 * 3_600_000).toISOString().slice(11, 16).replace(':', '.');
const timeNotice = (a: Clock, b: Clock) => notice(a, b, hhmm);
const at = (left: number, o: { endsAt?: number; paused?: boolean } = {}) => ({ endsAt: o.endsAt ?? end, paused: o.paused ?? false, now: end - left });

describe('timeNotice', () => {
  it('says the last five minutes once, when the remaining time crosses them', () => {
    expect(timeNotice(at(5 * MIN + 500), at(5 * MIN - 500))?.[0]).toBe(
      '5 minutter tilbage. Din besvarelse afleveres automatisk kl. 12.00, hvis du ikke har afleveret før.',
    );
    expect(timeNotice(at(5 * MIN - 500), at(5 * MIN - 1500))).toBeNull();
    expect(timeNotice(at(6 * MIN), at(6 * MIN - 1000))).toBeNull();
  });

  it('names the extra minutes and the new end; a re-sent window a few seconds apart says nothing', () => {
    expect(timeNotice(at(20 * MIN), at(20 * MIN, { endsAt: end + 10 * MIN }))?.[0]).toBe('Du har fået 10 minutter ekstra tid. Din sluttid er nu kl. 12.10.');
    expect(timeNotice(at(20 * MIN), at(20 * MIN, { endsAt: end + MIN }))?.[0]).toContain('Du har fået 1 minut ekstra tid.');
    expect(timeNotice(at(20 * MIN), at(20 * MIN, { endsAt: end + 2_000 }))).toBeNull();
    expect(timeNotice(at(20 * MIN), at(20 * MIN, { endsAt: end - 5 * MIN }))?.[0]).toBe('Din sluttid er ændret til kl. 11.55.');
  });

  it('leaves the start of a pause to the banner, and says its end with the moved end time', () => {
    expect(timeNotice(at(20 * MIN), at(20 * MIN, { paused: true }))).toBeNull();
    expect(timeNotice(at(20 * MIN, { paused: true }), at(20 * MIN, { paused: true, endsAt: end + 3 * MIN }))).toBeNull();
    expect(timeNotice(at(20 * MIN, { paused: true }), at(20 * MIN, { endsAt: end + 3 * MIN }))?.[0]).toBe(
      'Pausen er slut. Du kan skrive videre. Din sluttid er nu kl. 12.03.',
    );
  });
});
