import { describe, expect, it } from 'vitest';
import { resumable } from '../../client/src/candidate/resume.ts';
import type { ExamView } from '../../client/src/candidate/types.ts';

const s = (registrationId: number, phase: ExamView['phase']) => ({ registrationId, phase }) as ExamView;

describe('where a reloaded pupil page goes', () => {
  it('straight back to the running exam, even with another sitting that day', () => {
    expect(resumable([s(1, 'handed_in'), s(2, 'writing'), s(3, 'before_lobby')], 0)?.registrationId).toBe(2);
  });
  it('back to the lobby this tab had open when nothing runs yet', () => {
    expect(resumable([s(1, 'lobby'), s(2, 'before_lobby')], 2)?.registrationId).toBe(2);
  });
  it('to the list when two exams run at once and this tab had neither, or when all are over', () => {
    expect(resumable([s(1, 'writing'), s(2, 'writing')], 0)).toBeUndefined();
    expect(resumable([s(1, 'handed_in')], 1)).toBeUndefined();
  });
  it('into the only open sitting of the day', () => {
    expect(resumable([s(5, 'lobby')], 0)?.registrationId).toBe(5);
  });
});
