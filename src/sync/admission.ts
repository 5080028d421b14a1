import { windowOf } from '../exam/examView.ts';
import type { RegistrationContext } from '../exam/queries.ts';
import { acceptsUpdates, phase } from '../exam/window.ts';
import type { Actor } from '../http/context.ts';
import type { LockdownCheck } from '../lockdown/gate.ts';
import { AnswerClose, LobbyClose, type CloseCode } from '../protocol/closeCodes.ts';

/** Everything the answer socket's admission depends on, read before deciding (the I/O is the hub's). */
export interface AdmissionInput {
  /** The registration id from the path, or null when it is not a positive integer. */
  registrationId: number | null;
  /** The signed-in user, or null without a valid session. */
  actor: Pick<Actor, 'userId' | 'role'> | null;
  /** The registration, when the actor is a candidate and the id parsed; null when there is none. */
  registration: RegistrationContext | null;
  /** The lockdown gate's answer for this upgrade; read only for the owner's own registration. */
  lockdown: LockdownCheck | null;
  /** The device asking (null when the client names none) and who holds the answer now, from presence. */
  device: { id: string | null; holder: DeviceHolder | null };
  now: Date;
  graceSeconds: number;
}

/** The device that holds (or last held) an answer, as presence records it across nodes. */
export interface DeviceHolder {
  deviceId: string | null;
  /** Connected now (a dead node's stale heartbeat counts as gone). */
  connected: boolean;
  /** Since when connected, or since when gone. */
  since: Date;
}

/** A device gone this long may be replaced without asking: the pupil's laptop died, a new one takes over. */
export const DEVICE_GONE_SECONDS = 60;

export type Admission =
  /** `usesDeviceSwitch`: this device takes over with the invigilator's one-time permission, which is used up. */
  | { admit: true; usesDeviceSwitch?: boolean }
  /**
   * `lockAnswer`: a lockdown mismatch while writing locks the answer for the invigilator to review
   * (docs/rules.md §7). `sendReceipt`: a handed-in pupil's page gets its receipt before the close.
   */
  | { admit: false; close: CloseCode; notice?: { da: string; en: string }; lockAnswer?: string; sendReceipt?: boolean };

const LOCKED_NOTICE = { da: 'Din besvarelse er låst. Kontakt den tilsynsførende.', en: 'Your answer is locked. Contact the invigilator.' };

/**
 * Who may open an answer socket, and when (docs/rules.md §1, §4.6, §7): a pure function of what the hub read.
 * The order matters: identity before existence (no leaks), lockdown before the window (a foreign browser
 * learns nothing about the exam), and a handed-in answer always gets its receipt.
 */
export function decideAdmission(i: AdmissionInput): Admission {
  if (i.registrationId === null) return refuse(AnswerClose.unknownRegistration);
  if (!i.actor) return refuse(AnswerClose.unauthenticated);
  if (i.actor.role !== 'candidate') return refuse(AnswerClose.forbidden);
  const r = i.registration;
  if (!r || r.candidate_user_id !== i.actor.userId) return refuse(AnswerClose.unknownRegistration);
  const w = windowOf(r);
  const p = phase(w, i.now);
  if (i.lockdown && !i.lockdown.ok) {
    return {
      admit: false,
      close: AnswerClose.locked,
      notice: { da: i.lockdown.da, en: i.lockdown.en },
      ...(p === 'writing' && !r.locked_reason ? { lockAnswer: i.lockdown.reason } : {}),
    };
  }
  if (r.locked_reason) return { admit: false, close: AnswerClose.locked, notice: LOCKED_NOTICE };
  if (p === 'handed_in') return { admit: false, close: AnswerClose.windowClosed, sendReceipt: true };
  if (p === 'before_lobby' || p === 'lobby') return refuse(AnswerClose.tooEarly);
  if (!acceptsUpdates(w, i.now, i.graceSeconds)) return refuse(AnswerClose.windowClosed);
  const device = deviceRule(i.device.id, i.device.holder, r.device_switch_allowed, i.now);
  if (device === 'refuse') return { admit: false, close: AnswerClose.deviceInUse, notice: DEVICE_IN_USE };
  return device === 'switch' ? { admit: true, usesDeviceSwitch: true } : { admit: true };
}

const DEVICE_IN_USE = {
  da: 'Din besvarelse er åben på en anden computer. Ræk hånden op: den tilsynsførende kan tillade, at du skifter til denne.',
  en: 'Your answer is open on another computer. Raise your hand: the invigilator can allow you to switch to this one.',
};

/**
 * Device switch (docs/rules.md §4.5): the same device always gets back in (a reload, a network blip); another
 * device only when the holder has been gone for over a minute, or with the invigilator's permission.
 */
export function deviceRule(id: string | null, holder: DeviceHolder | null, switchAllowed: boolean, now: Date): 'same' | 'free' | 'switch' | 'refuse' {
  if (!holder || holder.deviceId === id) return 'same';
  if (!holder.connected && now.getTime() - holder.since.getTime() >= DEVICE_GONE_SECONDS * 1000) return 'free';
  return switchAllowed ? 'switch' : 'refuse';
}

export type LobbyAdmission = { admit: true; usesDeviceSwitch?: boolean } | { admit: false; close: CloseCode };

/**
 * Who may hold a lobby presence socket (docs/rules.md §5): the owner of the registration, before the start, from a
 * browser the lockdown gate accepts, under the same device rule as the answer (the device waiting in the lobby is
 * the one that gets in at the start). It carries no exam data; it only tells the invigilator the pupil is there.
 */
export function decideLobbyPresence(i: AdmissionInput): LobbyAdmission {
  if (i.registrationId === null) return { admit: false, close: LobbyClose.unknownRegistration };
  if (!i.actor) return { admit: false, close: LobbyClose.unauthenticated };
  if (i.actor.role !== 'candidate') return { admit: false, close: LobbyClose.forbidden };
  const r = i.registration;
  if (!r || r.candidate_user_id !== i.actor.userId) return { admit: false, close: LobbyClose.unknownRegistration };
  if ((i.lockdown && !i.lockdown.ok) || r.locked_reason) return { admit: false, close: LobbyClose.locked };
  const p = phase(windowOf(r), i.now);
  if (p !== 'before_lobby' && p !== 'lobby') return { admit: false, close: LobbyClose.lobbyOver };
  const device = deviceRule(i.device.id, i.device.holder, r.device_switch_allowed, i.now);
  if (device === 'refuse') return { admit: false, close: LobbyClose.deviceInUse };
  return device === 'switch' ? { admit: true, usesDeviceSwitch: true } : { admit: true };
}

const TIME_UP = { da: 'Tiden er gået. Ændringer efter sluttidspunktet gemmes ikke.', en: 'Time is up. Changes after the end are not saved.' };

/**
 * Whether one more update of an admitted socket is stored (re-decided per update: the window closes while the
 * socket is open, and an invigilator may lock the answer meanwhile).
 */
export function decideUpdate(r: RegistrationContext, now: Date, graceSeconds: number): Admission {
  if (r.locked_reason) return refuse(AnswerClose.locked);
  if (!acceptsUpdates(windowOf(r), now, graceSeconds)) return { admit: false, close: AnswerClose.windowClosed, notice: TIME_UP };
  return { admit: true };
}

const refuse = (close: CloseCode): Admission => ({ admit: false, close });
