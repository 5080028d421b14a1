import type { Config } from '../config.ts';
import { acceptsUpdates, type WindowInput } from '../exam/window.ts';
import type { Actor } from '../http/context.ts';
import { ATTACHMENT_KINDS, type AttachmentKind } from '../protocol/attachments.ts';
import type { Refusal } from '../refusal.ts';
import { isAttachmentKind } from './kinds.ts';

/**
 * The rules of pupils' attachments (docs/rules.md "Attachments") as pure functions of their inputs. A refusal here
 * carries its HTTP status: size refusals are 413 and type refusals 415, so a tus client stops instead of retrying.
 */

export interface AttachmentRefusal extends Refusal {
  status: 400 | 403 | 409 | 413 | 415;
  extra?: Record<string, unknown>;
}

export interface AttachmentLimits {
  maxFiles: number;
  maxFileBytes: number;
  quotaBytes: number;
}

export const limitsFrom = (c: Pick<Config, 'ATTACHMENT_MAX_FILES' | 'ATTACHMENT_MAX_FILE_BYTES' | 'ATTACHMENT_QUOTA_BYTES'>): AttachmentLimits => ({
  maxFiles: c.ATTACHMENT_MAX_FILES,
  maxFileBytes: c.ATTACHMENT_MAX_FILE_BYTES,
  quotaBytes: c.ATTACHMENT_QUOTA_BYTES,
});

/**
 * The kinds a sitting's aids profile allows: `aids.attachments` is `true` (every kind) or a list of kinds; anything
 * else, or no entry, allows none. Unknown kinds in the list are ignored rather than trusted.
 */
export function allowedKinds(aids: unknown): AttachmentKind[] {
  const a = aids && typeof aids === 'object' ? (aids as Record<string, unknown>).attachments : undefined;
  if (a === true) return [...ATTACHMENT_KINDS];
  return Array.isArray(a) ? ATTACHMENT_KINDS.filter((k) => a.some((x) => x === k && isAttachmentKind(x))) : [];
}

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
const refusal = (status: AttachmentRefusal['status'], id: string, da: string, en: string, extra?: Record<string, unknown>): AttachmentRefusal => ({
  status,
  id,
  da,
  en,
  extra,
});

/** Whether bytes of an attachment may still arrive: within the answer's window, not handed in, not locked. */
export function decideWrite(w: WindowInput, now: Date, graceSeconds: number, locked: boolean): AttachmentRefusal | null {
  if (!acceptsUpdates(w, now, graceSeconds)) {
    return refusal(
      409,
      'attachment-window-closed',
      'Prøven er slut eller afleveret. Filen blev ikke gemt.',
      'The exam has ended or was handed in. The file was not saved.',
    );
  }
  if (locked)
    return refusal(
      409,
      'answer-locked',
      'Din besvarelse er låst af tilsynet. Filen blev ikke gemt.',
      'Your answer is locked by the invigilator. The file was not saved.',
    );
  return null;
}

export interface NewUpload {
  window: WindowInput;
  now: Date;
  graceSeconds: number;
  locked: boolean;
  allowed: AttachmentKind[];
  /** Upload-Length: the whole file's size, declared before any byte is sent. */
  size: number;
  claimed: AttachmentKind | null;
  /** The pupil's attachments so far, finished or still arriving. */
  usage: { files: number; bytes: number };
  limits: AttachmentLimits;
}

/** Whether a new upload may start. Every limit is decided here, before its body is read. */
export function decideNewUpload(u: NewUpload): AttachmentRefusal | null {
  const closed = decideWrite(u.window, u.now, u.graceSeconds, u.locked);
  if (closed) return closed;
  if (u.allowed.length === 0) {
    return refusal(415, 'attachments-not-allowed', 'Denne prøve tillader ikke vedhæftede filer.', 'This exam does not allow attached files.');
  }
  if (u.size > u.limits.maxFileBytes) {
    return refusal(
      413,
      'attachment-too-large',
      `Filen er for stor. En fil må højst fylde ${mb(u.limits.maxFileBytes)}.`,
      `The file is too large. A file may be at most ${mb(u.limits.maxFileBytes)}.`,
      { limitBytes: u.limits.maxFileBytes },
    );
  }
  if (u.size === 0) return refusal(400, 'attachment-empty', 'Filen er tom.', 'The file is empty.');
  if (!u.claimed || !u.allowed.includes(u.claimed)) {
    return refusal(415, 'attachment-type-not-allowed', 'Denne filtype er ikke tilladt ved prøven.', 'This type of file is not allowed in this exam.', {
      allowed: u.allowed,
    });
  }
  if (u.usage.files >= u.limits.maxFiles) {
    return refusal(
      409,
      'attachment-count-exceeded',
      `Du kan højst vedhæfte ${u.limits.maxFiles} filer.`,
      `You can attach at most ${u.limits.maxFiles} files.`,
      { maxFiles: u.limits.maxFiles },
    );
  }
  if (u.usage.bytes + u.size > u.limits.quotaBytes) {
    return refusal(
      413,
      'attachment-quota-exceeded',
      `Dine filer må tilsammen højst fylde ${mb(u.limits.quotaBytes)}.`,
      `Your files may take up at most ${mb(u.limits.quotaBytes)} together.`,
      { quotaBytes: u.limits.quotaBytes },
    );
  }
  return null;
}

/** The bytes are not what the name said (or nothing we take): refused, and the upload is deleted. */
export const contentMismatch = (claimed: AttachmentKind, found: AttachmentKind | null): AttachmentRefusal =>
  refusal(
    415,
    'attachment-content-mismatch',
    'Filens indhold passer ikke til filtypen. Filen blev ikke gemt.',
    "The file's content does not match its type. The file was not saved.",
    { claimed, found },
  );

export interface AttachmentRelation {
  /** The user id of the pupil whose registration it is. */
  ownerUserId: number;
  /** Assigned invigilator or grader of the sitting, or an administrator of a school taking part. */
  sittingStaff: boolean;
}

/** Pupils read their own attachments; staff of the sitting read them (always as downloads, never inline). */
export const mayReadAttachments = (actor: Actor, r: AttachmentRelation): boolean =>
  actor.role === 'candidate' ? actor.userId === r.ownerUserId : actor.role !== 'ministry' && r.sittingStaff;
