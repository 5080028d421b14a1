import { describe, expect, it } from 'vitest';
import type { RegistrationContext } from '../../src/exam/queries.ts';
import { AnswerClose, LobbyClose } from '../../src/protocol/closeCodes.ts';
import { decideAdmission, decideLobbyPresence, decideUpdate, deviceRule, type AdmissionInput } from '../../src/sync/admission.ts';

const startsAt = new Date('2027-05-04T07:00:00Z');
const during = new Date('2027-05-04T08:00:00Z');
const lobby = new Date('2027-05-04T06:45:00Z');
const beforeLobby = new Date('2027-05-04T06:00:00Z');
const end = new Date('2027-05-04T11:00:00Z');
const grace = 30;

const reg = (o: Partial<RegistrationContext> = {}): RegistrationContext => ({
  id: 7,
  sitting_id: 1,
  room_id: 2,
  exam_number: '001-0007',
  candidate_user_id: 42,
  extra_minutes: 0,
  paused_at: null,
  paused_seconds: 0,
  ended_at: null,
  state: 'writing',
  handed_in_at: null,
  locked_reason: null,
  first_seen_at: null,
  text_to_speech: false,
  large_text: false,
  high_contrast: false,
  simple_writing: false,
  subject: 'Dansk',
  level: 9,
  starts_at: startsAt,
  duration_minutes: 240,
  lobby_opens_minutes: 30,
  aids: {},
  lockdown_profile: 'browser_monitored',
  sitting_status: 'scheduled',
  device_switch_allowed: false,
  ...o,
});

const input = (o: Partial<AdmissionInput> = {}): AdmissionInput => ({
  registrationId: 7,
  actor: { userId: 42, role: 'candidate' },
  registration: reg(),
  lockdown: { ok: true },
  device: { id: 'laptop-aaaa', holder: null },
  now: during,
  graceSeconds: grace,
  ...o,
});

const mismatch = { ok: false as const, reason: 'seb-config-mismatch', da: 'Ikke SEB', en: 'Not SEB' };

describe('answer socket admission', () => {
  const table: [string, Partial<AdmissionInput>, number | 'admit'][] = [
    ['admits the owner while writing', {}, 'admit'],
    ['admits within the grace after the end (changes in flight)', { now: new Date(end.getTime() + 10_000) }, 'admit'],
    ['refuses an unparsable registration id as unknown', { registrationId: null }, AnswerClose.unknownRegistration.code],
    ['refuses without a session', { actor: null }, AnswerClose.unauthenticated.code],
    ['refuses staff by role', { actor: { userId: 42, role: 'invigilator' } }, AnswerClose.forbidden.code],
    ["hides another pupil's registration as unknown", { actor: { userId: 43, role: 'candidate' } }, AnswerClose.unknownRegistration.code],
    ['treats a missing registration as unknown', { registration: null }, AnswerClose.unknownRegistration.code],
    ['refuses a failed lockdown check', { lockdown: mismatch }, AnswerClose.locked.code],
    ['refuses a locked answer', { registration: reg({ locked_reason: 'seb' }) }, AnswerClose.locked.code],
    ['sends a handed-in pupil away (with the receipt)', { registration: reg({ state: 'handed_in' }) }, AnswerClose.windowClosed.code],
    ['sends the lobby back to wait', { now: lobby }, AnswerClose.tooEarly.code],
    ['refuses before the lobby opens as too early', { now: beforeLobby }, AnswerClose.tooEarly.code],
    ['refuses after the end plus grace', { now: new Date(end.getTime() + grace * 1000) }, AnswerClose.windowClosed.code],
    ['honours extra time', { registration: reg({ extra_minutes: 15 }), now: new Date(end.getTime() + 10 * 60_000) }, 'admit'],
    ['refuses an absent pupil', { registration: reg({ state: 'absent' }) }, AnswerClose.windowClosed.code],
    ['refuses a cancelled sitting', { registration: reg({ sitting_status: 'cancelled' }) }, AnswerClose.windowClosed.code],
  ];
  for (const [name, o, expected] of table) {
    it(name, () => {
      const d = decideAdmission(input(o));
      expect(d.admit ? 'admit' : d.close.code).toBe(expected);
    });
  }

  it("locks the answer on a lockdown mismatch while writing, with the gate's Danish notice", () => {
    const d = decideAdmission(input({ lockdown: mismatch }));
    expect(d).toMatchObject({ admit: false, lockAnswer: 'seb-config-mismatch', notice: { da: 'Ikke SEB', en: 'Not SEB' } });
  });

  it('does not lock an answer for a mismatch in the lobby, nor lock it twice', () => {
    expect(decideAdmission(input({ lockdown: mismatch, now: lobby }))).not.toHaveProperty('lockAnswer');
    expect(decideAdmission(input({ lockdown: mismatch, registration: reg({ locked_reason: 'x' }) }))).not.toHaveProperty('lockAnswer');
  });

  it('gives a handed-in pupil the receipt rather than a bare refusal', () => {
    expect(decideAdmission(input({ registration: reg({ state: 'handed_in' }) }))).toMatchObject({ sendReceipt: true });
  });
});

describe('each update of an admitted socket', () => {
  it('is stored until the end plus grace and refused with a time-up notice after', () => {
    expect(decideUpdate(reg(), new Date(end.getTime() + grace * 1000 - 1), grace)).toEqual({ admit: true });
    expect(decideUpdate(reg(), new Date(end.getTime() + grace * 1000), grace)).toMatchObject({
      admit: false,
      close: AnswerClose.windowClosed,
      notice: { da: expect.stringContaining('Tiden er gået') },
    });
  });

  it('is refused once an invigilator or the lockdown locked the answer', () => {
    expect(decideUpdate(reg({ locked_reason: 'seb' }), during, grace)).toMatchObject({ admit: false, close: AnswerClose.locked });
  });
});

describe('device switch (docs/rules.md §4.5)', () => {
  const holder = (o: { deviceId?: string | null; connected?: boolean; secondsAgo?: number } = {}) => ({
    deviceId: o.deviceId === undefined ? 'laptop-aaaa' : o.deviceId,
    connected: o.connected ?? true,
    since: new Date(during.getTime() - (o.secondsAgo ?? 5) * 1000),
  });

  it('lets the same device straight back in (a reload, a network blip)', () => {
    expect(deviceRule('laptop-aaaa', holder(), false, during)).toBe('same');
    expect(deviceRule('laptop-aaaa', holder({ connected: false, secondsAgo: 1 }), false, during)).toBe('same');
  });

  it('refuses a second device while the first is connected, with a Danish call for the invigilator', () => {
    const d = decideAdmission(input({ device: { id: 'tablet-bbbb', holder: holder() } }));
    expect(d).toMatchObject({ admit: false, close: AnswerClose.deviceInUse, notice: { da: expect.stringContaining('tilsynsførende') } });
  });

  it('refuses a second device within a minute of the first leaving, and lets it in after', () => {
    expect(deviceRule('tablet-bbbb', holder({ connected: false, secondsAgo: 59 }), false, during)).toBe('refuse');
    expect(deviceRule('tablet-bbbb', holder({ connected: false, secondsAgo: 60 }), false, during)).toBe('free');
  });

  it("uses the invigilator's permission to switch, once", () => {
    expect(decideAdmission(input({ registration: reg({ device_switch_allowed: true }), device: { id: 'tablet-bbbb', holder: holder() } }))).toEqual({
      admit: true,
      usesDeviceSwitch: true,
    });
  });

  it('treats a client that names no device as one anonymous device, different from a named one', () => {
    expect(deviceRule(null, holder({ deviceId: null }), false, during)).toBe('same');
    expect(deviceRule(null, holder(), false, during)).toBe('refuse');
  });

  it('admits the first device of an answer nobody holds', () => {
    expect(decideAdmission(input())).toEqual({ admit: true });
  });
});

describe('lobby presence socket admission', () => {
  const holder = (deviceId: string, connected: boolean) => ({ deviceId, connected, since: new Date(lobby.getTime() - 5_000) });
  const table: [string, Partial<AdmissionInput>, number | 'admit' | 'switch'][] = [
    ['admits the owner in the lobby', { now: lobby }, 'admit'],
    ['admits the owner before the lobby opens (the page counts down there too)', { now: beforeLobby }, 'admit'],
    [
      'admits the same device after a reload while the old socket is still connected',
      { now: lobby, device: { id: 'laptop-aaaa', holder: holder('laptop-aaaa', true) } },
      'admit',
    ],
    ['refuses without a session', { now: lobby, actor: null }, LobbyClose.unauthenticated.code],
    ['refuses an invigilator', { now: lobby, actor: { userId: 42, role: 'invigilator' } }, LobbyClose.forbidden.code],
    ["refuses another pupil's registration as unknown", { now: lobby, actor: { userId: 43, role: 'candidate' } }, LobbyClose.unknownRegistration.code],
    ['refuses once the exam has started: the answer socket takes over', { now: during }, LobbyClose.lobbyOver.code],
    ['refuses a browser the lockdown gate refuses', { now: lobby, lockdown: mismatch }, LobbyClose.locked.code],
    [
      'refuses another device while the holder is connected',
      { now: lobby, device: { id: 'laptop-bbbb', holder: holder('laptop-aaaa', true) } },
      LobbyClose.deviceInUse.code,
    ],
    [
      "lets another device take over with the invigilator's permission",
      { now: lobby, registration: reg({ device_switch_allowed: true }), device: { id: 'laptop-bbbb', holder: holder('laptop-aaaa', true) } },
      'switch',
    ],
  ];
  for (const [name, o, expected] of table) {
    it(name, () => {
      const d = decideLobbyPresence(input(o));
      if (expected === 'admit') expect(d).toEqual({ admit: true });
      else if (expected === 'switch') expect(d).toEqual({ admit: true, usesDeviceSwitch: true });
      else expect(d).toMatchObject({ admit: false, close: { code: expected } });
    });
  }
});
