import { Server } from '@tus/server';
import { windowOf } from '../exam/examView.ts';
import { findRegistrationContext } from '../exam/queries.ts';
import type { AppDeps } from '../http/context.ts';
import { AppError, notFound } from '../http/errors.ts';
import { ATTACHMENT_METADATA as M, ATTACHMENT_UPLOAD_PATH } from '../protocol/attachments.ts';
import { claimedKind, fileNameOf } from './kinds.ts';
import { usageOf } from './queries.ts';
import { allowedKinds, decideNewUpload, limitsFrom } from './rules.ts';
import { appError, finishUpload } from './uploadFinisher.ts';
import { PostgresUploadStore } from './uploadStore.ts';

/** The tus protocol for attachments, behind our own route checks (src/attachments/routes.ts). */
export interface AttachmentUploads {
  store: PostgresUploadStore;
  /**
   * Lets tus answer a request the route has already authorised. `registrationId` (creation only) is the pupil's own
   * registration as the route verified it; it replaces whatever the client's metadata said.
   */
  handle(req: Request, registrationId?: number): Promise<Response>;
}

/**
 * @tus/server over the PostgreSQL store. Refusals thrown inside tus (the limits at creation, the content check at
 * completion) are AppErrors: tus hands them to onResponseError, and handle() rethrows them so the root error handler
 * renders them as problem+json like every other refusal.
 */
export function createAttachmentUploads(deps: AppDeps): AttachmentUploads {
  const limits = limitsFrom(deps.config);
  const verified = new WeakMap<object, number>();
  const refusals = new WeakMap<object, AppError>();

  const store = new PostgresUploadStore(deps.db, {
    expirationMs: deps.config.ATTACHMENT_UPLOAD_EXPIRY_HOURS * 3_600_000,
    // Under the registration's lock: concurrent creations queue here, and a hand-in (which takes the same lock)
    // is either before this upload (refused) or after it (the upload is unfinished and never handed in).
    async admit(tx, upload) {
      const meta = upload.metadata ?? {};
      const r = await findRegistrationContext(tx, Number(meta[M.registrationId]), true);
      if (!r) throw notFound('registration');
      const fileName = fileNameOf(meta[M.filename]);
      const claimed = claimedKind(fileName, meta[M.filetype]);
      const refused = decideNewUpload({
        window: windowOf(r),
        now: deps.now(),
        graceSeconds: deps.config.ANSWER_GRACE_SECONDS,
        locked: r.locked_reason !== null,
        allowed: allowedKinds(r.aids),
        size: upload.size ?? 0,
        claimed,
        usage: await usageOf(tx, r.id),
        limits,
      });
      if (refused) throw appError(refused);
      // decideNewUpload refuses a file that claims no kind, so here it claims one.
      return { registrationId: r.id, fileName, claimedKind: claimed ?? 'pdf' };
    },
  });

  const server = new Server({
    path: ATTACHMENT_UPLOAD_PATH,
    datastore: store,
    relativeLocation: true,
    // Same-origin only: no CORS header for any other site.
    allowedOrigins: [],
    disableTerminationForFinishedUploads: true,
    async onUploadCreate(req, upload) {
      const registrationId = verified.get(req);
      if (registrationId === undefined) throw notFound('registration');
      const meta = upload.metadata ?? {};
      return { metadata: { ...meta, [M.registrationId]: String(registrationId), [M.filename]: fileNameOf(meta[M.filename]) } };
    },
    async onUploadFinish(_req, upload) {
      const row = await finishUpload(deps, store, upload.id);
      return { headers: { 'Attachment-Id': row.id, 'Attachment-Sha256': row.sha256 ?? '' } };
    },
    onResponseError(req, err) {
      if (err instanceof AppError) refusals.set(req, err);
      else if (!('status_code' in err)) deps.log.error({ err }, 'attachment upload failed');
      return undefined;
    },
  });

  return {
    store,
    async handle(req, registrationId) {
      if (registrationId !== undefined) verified.set(req, registrationId);
      const res = await server.handleWeb(req);
      const refusal = refusals.get(req);
      if (refusal) throw refusal;
      return res;
    },
  };
}
