import { describe, expect, it } from 'vitest';
import { copenhagenLocal, copenhagenToUtc } from '../../src/scheduling/localTime.ts';

describe('Copenhagen local time → UTC', () => {
  it('maps a winter start to UTC+1 and a summer start to UTC+2', () => {
    expect(copenhagenToUtc('2027-01-12', '09:00')).toEqual({ ok: true, instant: new Date('2027-01-12T08:00:00Z') });
    expect(copenhagenToUtc('2027-05-04', '09:00')).toEqual({ ok: true, instant: new Date('2027-05-04T07:00:00Z') });
  });

  it('on the spring-forward day (2027-03-28) maps 09:00 to 07:00Z and refuses 02:30, which does not exist', () => {
    expect(copenhagenToUtc('2027-03-28', '09:00')).toEqual({ ok: true, instant: new Date('2027-03-28T07:00:00Z') });
    expect(copenhagenToUtc('2027-03-28', '01:59')).toEqual({ ok: true, instant: new Date('2027-03-28T00:59:00Z') });
    const gap = copenhagenToUtc('2027-03-28', '02:30');
    expect(gap).toMatchObject({ ok: false, reason: 'nonexistent' });
    expect(copenhagenToUtc('2027-03-28', '03:00')).toEqual({ ok: true, instant: new Date('2027-03-28T01:00:00Z') });
  });

  it('on the fall-back day (2026-10-25) maps 09:00 to 08:00Z and refuses the twice-occurring 02:30', () => {
    expect(copenhagenToUtc('2026-10-25', '09:00')).toEqual({ ok: true, instant: new Date('2026-10-25T08:00:00Z') });
    expect(copenhagenToUtc('2026-10-25', '02:30')).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(copenhagenToUtc('2026-10-25', '03:00')).toEqual({ ok: true, instant: new Date('2026-10-25T02:00:00Z') });
  });

  it('refuses impossible dates and times', () => {
    expect(copenhagenToUtc('2027-02-30', '09:00')).toMatchObject({ ok: false, reason: 'invalid' });
    expect(copenhagenToUtc('2027-02-01', '24:00')).toMatchObject({ ok: false, reason: 'invalid' });
    expect(copenhagenToUtc('1/2/2027', '09:00')).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('shows an instant as Copenhagen wall-clock time', () => {
    expect(copenhagenLocal(new Date('2027-05-04T07:00:00Z'))).toBe('2027-05-04 09:00');
  });
});
