import { describe, expect, it } from 'vitest';
import {
  currentPart,
  mayGo,
  moveItem,
  overviewCounts,
  partOver,
  resumePosition,
  stableShuffle,
  type DeliveryPart,
} from '../../client/src/candidate/items/delivery.ts';

const t0 = Date.parse('2027-05-04T09:00:00Z');
const part = (identifier: string, navigationMode: 'linear' | 'nonlinear', endsAt: number | null, n = 3): DeliveryPart => ({
  identifier,
  navigationMode,
  endsAt,
  itemIds: Array.from({ length: n }, (_, i) => `${identifier}-q${i + 1}`),
});
const parts = [part('del1', 'linear', t0 + 1_800_000), part('del2', 'nonlinear', t0 + 4_500_000)];
const none = new Set<string>();

describe('item test delivery rules', () => {
  it('opens the first part until its end by the server clock, then the next, and none after the last end', () => {
    expect(currentPart(parts, t0 + 1_799_999, none, 0)).toBe(0);
    expect(currentPart(parts, t0 + 1_800_000, none, 0)).toBe(1);
    expect(currentPart(parts, t0 + 4_500_000, none, 0)).toBe(2);
  });

  it('closes a part at once on partClosed, and never reopens a part the pupil moved on from', () => {
    expect(partOver(parts[0], t0, new Set(['del1']))).toBe(true);
    expect(currentPart(parts, t0, new Set(['del1']), 0)).toBe(1);
    expect(currentPart(parts, t0, none, 1)).toBe(1);
  });

  it('an untimed part stays open until the server closes it', () => {
    const untimed = [part('a', 'nonlinear', null)];
    expect(currentPart(untimed, t0 + 10 ** 10, none, 0)).toBe(0);
    expect(currentPart(untimed, t0, new Set(['a']), 0)).toBe(1);
  });

  it('a linear part only goes one item forward; a non-linear part goes anywhere inside it', () => {
    expect(mayGo(parts[0], 1, 2)).toBe(true);
    expect(mayGo(parts[0], 1, 0)).toBe(false);
    expect(mayGo(parts[0], 0, 2)).toBe(false);
    expect(mayGo(parts[1], 2, 0)).toBe(true);
    expect(mayGo(parts[1], 2, 3)).toBe(false);
    expect(mayGo(parts[1], 1, 1)).toBe(false);
  });

  it('resumes at the remembered item, kept inside the part', () => {
    expect(resumePosition(parts[0], undefined)).toBe(0);
    expect(resumePosition(parts[0], 2)).toBe(2);
    expect(resumePosition(parts[0], 9)).toBe(2);
    expect(resumePosition(parts[0], -1)).toBe(0);
  });

  it('counts answered, unanswered and flagged items of a part for the overview', () => {
    const answered = new Set(['del1-q1', 'del1-q3']);
    expect(overviewCounts(parts[0].itemIds, (id) => answered.has(id), new Set(['del1-q2', 'del2-q1']))).toEqual({ answered: 2, unanswered: 1, flagged: 1 });
  });

  it('shuffles the same way for the same pupil and item, keeps fixed choices in place, and differs between pupils', () => {
    const choices = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
    const a = stableShuffle(choices, '17:q02');
    expect(stableShuffle(choices, '17:q02')).toEqual(a);
    expect([...a].sort()).toEqual(choices);
    const others = ['18:q02', '19:q02', '20:q02'].map((s) => stableShuffle(choices, s).join(''));
    expect(others.some((o) => o !== a.join(''))).toBe(true);
    const fixed = stableShuffle(choices, '17:q02', (c) => c === 'A' || c === 'H');
    expect([fixed[0], fixed[7]]).toEqual(['A', 'H']);
  });

  it('moves an entry one place up or down and leaves the list unchanged at its ends', () => {
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});
