import { allowedKinds, type AttachmentLimits } from '../attachments/rules.ts';
import type { Receipt } from '../protocol/control.ts';
import type { PartEnd } from '../protocol/itemResponses.ts';
import type { RegistrationContext, ReceiptRow } from './queries.ts';
import { endsAt, lobbyOpensAt, phase, type WindowInput } from './window.ts';

export type { Receipt };

/** The row fields the time window needs; a registration and an invigilator's roster row both carry them. */
type WindowFields = Pick<
  RegistrationContext,
  | 'starts_at'
  | 'duration_minutes'
  | 'lobby_opens_minutes'
  | 'extra_minutes'
  | 'paused_seconds'
  | 'paused_at'
  | 'ended_at'
  | 'handed_in_at'
  | 'state'
  | 'sitting_status'
>;

export const windowOf = (r: WindowFields): WindowInput => ({
  startsAt: r.starts_at,
  durationMinutes: r.duration_minutes,
  lobbyOpensMinutes: r.lobby_opens_minutes,
  extraMinutes: r.extra_minutes,
  pausedSeconds: r.paused_seconds,
  pausedAt: r.paused_at,
  endedAt: r.ended_at,
  handedInAt: r.handed_in_at,
  state: r.state,
  cancelled: r.sitting_status === 'cancelled',
});

export const toReceipt = (
  r: RegistrationContext | { id: number; exam_number: string },
  s: Omit<ReceiptRow, 'attachments'> & { attachments?: ReceiptRow['attachments'] },
): Receipt => ({
  receiptCode: s.receipt_code,
  registrationId: r.id,
  examNumber: r.exam_number,
  handedInAt: s.handed_in_at.toISOString(),
  sha256: s.text_sha256,
  wordCount: s.word_count,
  version: s.version,
  // Only present when there are attachments, so an essay's receipt reads exactly as before.
  ...(s.attachments?.length ? { attachments: s.attachments } : {}),
});

/**
 * What a candidate's client needs to show one sitting (contract: docs/protocol.md). `itemTest` is null for an essay;
 * for an item test it holds each timed part's end for this pupil (src/items/partClock.ts).
 */
export function examView(
  r: RegistrationContext,
  now: Date,
  graceSeconds: number,
  receipt: ReceiptRow | null,
  itemTest: { parts: PartEnd[] } | null = null,
  limits: Pick<AttachmentLimits, 'maxFiles' | 'maxFileBytes'> | null = null,
) {
  const w = windowOf(r);
  const aids = r.aids ?? {};
  return {
    registrationId: r.id,
    sittingId: r.sitting_id,
    subject: r.subject,
    level: r.level,
    examNumber: r.exam_number,
    startsAt: r.starts_at.toISOString(),
    lobbyOpensAt: lobbyOpensAt(w).toISOString(),
    endsAt: endsAt(w, now).toISOString(),
    graceSeconds,
    phase: phase(w, now),
    state: r.state,
    serverTime: now.toISOString(),
    aids: {
      spellCheck: !!aids.spellCheck,
      textToSpeech: !!aids.textToSpeech,
      internet: !!aids.internet,
      calculator: !!aids.calculator,
      attachments: allowedKinds(aids),
    },
    /** What the pupil may attach, said in words next to the attach button (docs/rules.md §15.10). */
    attachmentLimits: limits ? { maxFiles: limits.maxFiles, maxFileBytes: limits.maxFileBytes } : null,
    lockdownProfile: r.lockdown_profile,
    accommodations: {
      extraMinutes: r.extra_minutes,
      textToSpeech: r.text_to_speech,
      largeText: r.large_text,
      highContrast: r.high_contrast,
      simpleWriting: r.simple_writing,
    },
    paused: r.paused_at !== null,
    locked: r.locked_reason !== null,
    receipt: receipt ? toReceipt(r, receipt) : null,
    itemTest,
  };
}
