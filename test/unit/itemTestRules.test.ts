import { describe, expect, it } from 'vitest';
import { closedParts, nextClose, partEnds } from '../../src/items/partClock.ts';
import { refuseResponse } from '../../src/items/responseRules.ts';
import { buildItem, MAP_RESPONSE_URL, template } from './qtiFactories.ts';

const start = new Date('2027-05-10T07:00:00Z');
const w = { startsAt: start, durationMinutes: 120, extraMinutes: 0, pausedSeconds: 0, pausedAt: null, endedAt: null };
const parts = [
  { identifier: 'p1', navigationMode: 'linear' as const, maxTimeSeconds: 1200 },
  { identifier: 'free', navigationMode: 'nonlinear' as const, maxTimeSeconds: null },
  { identifier: 'p2', navigationMode: 'nonlinear' as const, maxTimeSeconds: 2400 },
];
const at = (s: number) => new Date(start.getTime() + s * 1000).toISOString();

describe('part ends (docs/rules.md §14.3)', () => {
  it('runs timed parts in order from the start; untimed parts have no end', () => {
    expect(partEnds(parts, w, start)).toEqual([
      { part: 'p1', endsAt: at(1200) },
      { part: 'p2', endsAt: at(3600) },
    ]);
  });

  it('spreads extra time in proportion (a third and two thirds) and adds paused time', () => {
    expect(partEnds(parts, { ...w, extraMinutes: 15, pausedSeconds: 60 }, start)).toEqual([
      { part: 'p1', endsAt: at(60 + 1200 + 300) },
      { part: 'p2', endsAt: at(60 + 1200 + 300 + 2400 + 600) },
    ]);
  });

  it("never ends a part after the pupil's own end (an invigilator ended the room early)", () => {
    const endedAt = new Date(start.getTime() + 1000 * 1000);
    expect(partEnds(parts, { ...w, endedAt }, start).map((e) => e.endsAt)).toEqual([endedAt.toISOString(), endedAt.toISOString()]);
  });

  it('a part is closed from its end plus grace, not a millisecond before', () => {
    const ends = partEnds(parts, w, start);
    expect(closedParts(ends, new Date(Date.parse(at(1230)) - 1), 30)).toEqual(new Set());
    expect(closedParts(ends, new Date(at(1230)), 30)).toEqual(new Set(['p1']));
    expect(nextClose(ends, new Date(at(1230)), 30)?.toISOString()).toBe(at(3630));
    expect(nextClose(ends, new Date(at(3630)), 30)).toBeNull();
  });
});

describe('which responses the socket keeps (docs/rules.md §14.4)', () => {
  const choice = buildItem({
    declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="identifier"/>`,
    body: `<qti-choice-interaction response-identifier="RESPONSE" max-choices="2"><qti-simple-choice identifier="A">a</qti-simple-choice><qti-simple-choice identifier="B">b</qti-simple-choice><qti-simple-choice identifier="C">c</qti-simple-choice></qti-choice-interaction>`,
  });
  const text = buildItem({
    declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string"><qti-mapping default-value="0"><qti-map-entry map-key="x" mapped-value="1"/></qti-mapping></qti-response-declaration>`,
    body: `<p><qti-text-entry-interaction response-identifier="RESPONSE"/></p>`,
    processing: template(MAP_RESPONSE_URL),
  });

  it('keeps well-formed values and deletions', () => {
    expect(refuseResponse(choice, { RESPONSE: ['A', 'C'] })).toBeNull();
    expect(refuseResponse(choice, { RESPONSE: [] })).toBeNull();
    expect(refuseResponse(choice, {})).toBeNull();
    expect(refuseResponse(choice, undefined)).toBeNull();
    expect(refuseResponse(text, { RESPONSE: 'tresserne æøå' })).toBeNull();
  });

  it('refuses an unknown item, and each kind of wrong form', () => {
    expect(refuseResponse(undefined, { RESPONSE: 'A' })).toBe('unknown-item');
    for (const bad of ['A', ['A'], null, { RESPONSE: 'A' }, { RESPONSE: ['A', 'B', 'C'] }, { RESPONSE: ['Z'] }, { RESPONSE: [1] }, { OTHER: ['A'] }]) {
      expect(refuseResponse(choice, bad), JSON.stringify(bad)).toBe('wrong-type');
    }
    expect(refuseResponse(text, { RESPONSE: ['x'] })).toBe('wrong-type');
    expect(refuseResponse(text, { RESPONSE: 'x'.repeat(2001) })).toBe('wrong-type');
  });
});
