/** JSON control messages (message type 101) and the receipt they carry. Server and client use these types. */

/** The receipt of a hand-in (docs/rules.md §4.7): what the pupil can keep and check. */
export interface Receipt {
  receiptCode: string;
  registrationId: number;
  examNumber: string;
  handedInAt: string;
  sha256: string;
  wordCount: number;
  /** 1 for the first hand-in, 2 after a reopen and a second hand-in… */
  version: number;
  /**
   * The pupil's finished attachments, frozen with the answer (docs/rules.md §15.9); absent when there are none. The
   * answer's `sha256` never covers them: each carries its own SHA-256 of the stored bytes, as embedded in the PDF.
   */
  attachments?: ReceiptAttachment[];
}

/** One attachment on a receipt. */
export interface ReceiptAttachment {
  id: string;
  name: string;
  size: number;
  /** SHA-256 of the file's bytes, lowercase hex. */
  sha256: string;
}

export type Phase = 'before_lobby' | 'lobby' | 'writing' | 'ended' | 'handed_in' | 'absent' | 'cancelled';

export interface WindowControl {
  type: 'window';
  phase: Phase;
  startsAt: string;
  endsAt: string;
  graceSeconds: number;
  paused: boolean;
  locked: boolean;
  /** Simple writing mode is allowed (docs/rules.md §13): an invigilator may switch it on during the exam. */
  simpleWriting: boolean;
  serverTime: string;
}

/** A timed part of an item test has ended on the server clock: its responses are frozen; the client moves on. */
export interface PartClosedControl {
  type: 'partClosed';
  part: string;
}

export type Control =
  WindowControl | { type: 'handed_in'; receipt: Receipt | null } | { type: 'replaced' } | { type: 'notice'; da: string; en: string } | PartClosedControl;
