import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import { Metadata } from '@tus/utils';
import { requireActor } from '../auth/middleware.ts';
import { mayWriteAnswer } from '../auth/permissions.ts';
import { windowOf } from '../exam/examView.ts';
import { findRegistrationContext, type RegistrationContext } from '../exam/queries.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { badRequest, noSuchRoute, notFound } from '../http/errors.ts';
import { idParam } from '../http/validate.ts';
import { enforceLockdown } from '../lockdown/enforcement.ts';
import { ATTACHMENT_METADATA as M, type AttachmentEntry } from '../protocol/attachments.ts';
import { sittingRelation } from '../scheduling/queries.ts';
import { removeFinishedAttachment } from './attachmentRemoval.ts';
import { deleteUpload, findUpload, listFinished, type UploadRow } from './queries.ts';
import { decideWrite, mayReadAttachments } from './rules.ts';
import { appError } from './uploadFinisher.ts';
import type { AttachmentUploads } from './uploadServer.ts';

const UPLOAD_ID = /^[0-9a-f]{32}$/;

/**
 * Attachments over HTTP: the tus endpoint (create, resume, cancel) for the pupil's own registration, the list of
 * finished attachments, and their download. Role and ownership are checked on every request before tus sees it.
 */
export function attachmentRoutes(deps: AppDeps, uploads: AttachmentUploads) {
  const app = new Hono<AppEnv>();
  const grace = deps.config.ANSWER_GRACE_SECONDS;

  /** The pupil's own registration, through the lockdown gate like every candidate request (docs/rules.md §7). */
  const ownRegistration = async (c: Context<AppEnv>, registrationId: number) => {
    const actor = requireActor(c, 'candidate');
    const r = await findRegistrationContext(deps.db, registrationId);
    if (!r || !mayWriteAnswer(actor, r.candidate_user_id)) throw notFound('registration');
    await enforceLockdown(deps, c, r);
    return r;
  };

  const ownUpload = async (c: Context<AppEnv>) => {
    requireActor(c, 'candidate');
    const id = c.req.param('id') ?? '';
    const u = UPLOAD_ID.test(id) ? await findUpload(deps.db, id) : null;
    if (!u) throw notFound('upload');
    const r = await ownRegistration(c, u.registration_id).catch((err: unknown) => {
      throw err instanceof Error && 'status' in err && err.status === 404 ? notFound('upload') : err;
    });
    return { u, r };
  };

  const create = async (c: Context<AppEnv>) => {
    requireActor(c, 'candidate');
    let meta: Record<string, string | null>;
    try {
      meta = Metadata.parse(c.req.header('upload-metadata') ?? undefined);
    } catch {
      throw badRequest('bad-upload-metadata', 'Upload-Metadata er ugyldig.', 'Upload-Metadata is invalid.');
    }
    const registrationId = Number(meta[M.registrationId]);
    if (!Number.isSafeInteger(registrationId) || registrationId <= 0) {
      throw badRequest('bad-upload-metadata', 'Upload-Metadata mangler registrationId.', 'Upload-Metadata lacks registrationId.');
    }
    const r = await ownRegistration(c, registrationId);
    return uploads.handle(c.req.raw, r.id);
  };
  app.post('/uploads', create);
  app.post('/uploads/', create);

  // Hono answers HEAD through GET routes; a plain GET of an upload is not part of tus here (downloads are below).
  app.get('/uploads/:id', async (c) => {
    if (c.req.method !== 'HEAD') throw noSuchRoute();
    await ownUpload(c);
    return uploads.handle(c.req.raw);
  });

  app.patch('/uploads/:id', async (c) => {
    const { u, r } = await ownUpload(c);
    const closed = u.completed_at ? null : decideWrite(windowOf(r), deps.now(), grace, r.locked_reason !== null);
    if (closed) {
      // Nothing half-stored may outlive the window: the unfinished upload goes with the refusal.
      await deleteUpload(deps.db, u.id);
      throw appError(closed);
    }
    return uploads.handle(c.req.raw);
  });

  app.delete('/uploads/:id', async (c) => {
    const { u } = await ownUpload(c);
    if (!u.completed_at) return uploads.handle(c.req.raw);
    // A finished file is no longer tus's business: it is an attachment, listed in the answer document.
    await removeFinishedAttachment(deps, u.id, u.registration_id);
    return c.body(null, 204);
  });

  /** Who may read a registration's attachments: its pupil, or staff of its sitting (docs/rules.md "Attachments"). */
  const readable = async (c: Context<AppEnv>, r: RegistrationContext | null) => {
    const actor = requireActor(c);
    if (!r) return false;
    const staff = actor.role === 'candidate' ? false : (await sittingRelation(deps.db, r.sitting_id, actor.userId, actor.role, actor.schoolId)).sittingStaff;
    if (!mayReadAttachments(actor, { ownerUserId: r.candidate_user_id, sittingStaff: staff })) return false;
    if (actor.role === 'candidate') await enforceLockdown(deps, c, r);
    return true;
  };

  app.get('/registrations/:id', async (c) => {
    const r = await findRegistrationContext(deps.db, idParam(c));
    if (!(await readable(c, r)) || !r) throw notFound('registration');
    const attachments = (await listFinished(deps.db, r.id)).map(toEntry);
    return c.json({ registrationId: r.id, attachments });
  });

  app.get('/files/:id', async (c) => {
    requireActor(c);
    const id = c.req.param('id');
    const u = UPLOAD_ID.test(id) ? await findUpload(deps.db, id) : null;
    const r = u?.completed_at ? await findRegistrationContext(deps.db, u.registration_id) : null;
    if (!u || !(await readable(c, r))) throw notFound('attachment');
    // Pupils' files never run in our origin: always a download, never sniffed into HTML, sandboxed if opened anyway.
    c.header('Content-Type', u.mime_type ?? 'application/octet-stream');
    c.header('Content-Length', String(u.size));
    c.header('Content-Disposition', contentDisposition(u.file_name));
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Content-Security-Policy', "sandbox; default-src 'none'");
    return stream(c, async (out) => {
      for await (const piece of uploads.store.bytes(u.id, u.size)) await out.write(piece);
    });
  });

  return app;
}

const toEntry = (u: UploadRow): AttachmentEntry & { id: string } => ({
  id: u.id,
  name: u.file_name,
  size: u.size,
  type: u.kind ?? u.claimed_kind,
  sha256: u.sha256 ?? '',
});

/** RFC 6266: an ASCII fallback name plus the UTF-8 name (Danish letters survive) in filename*. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
