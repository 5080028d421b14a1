import { withTransaction } from '../db/pool.ts';
import { windowOf } from '../exam/examView.ts';
import { findRegistrationContext } from '../exam/queries.ts';
import type { AppDeps } from '../http/context.ts';
import { AppError, notFound } from '../http/errors.ts';
import { publishDocumentUpdate, writeAttachmentEntry } from './answerList.ts';
import { deleteUpload } from './queries.ts';
import { decideWrite } from './rules.ts';
import { appError } from './uploadFinisher.ts';

const handedIn = () =>
  new AppError(
    409,
    'attachment-handed-in',
    'Filen er afleveret med din besvarelse og kan ikke fjernes.',
    'The file was handed in with your answer and cannot be removed.',
  );

/**
 * The pupil removes a finished attachment before hand-in (docs/rules.md §15.10): under the registration's lock, only
 * while the answer still takes changes, never one frozen into a submission; the file and its entry in the answer
 * document go in one transaction, and the entry's removal reaches every device like the entry did.
 */
export async function removeFinishedAttachment(deps: AppDeps, id: string, registrationId: number): Promise<void> {
  const done = await withTransaction(deps.db, async (tx) => {
    const r = await findRegistrationContext(tx, registrationId, true);
    if (!r) throw notFound('upload');
    const closed = decideWrite(windowOf(r), deps.now(), deps.config.ANSWER_GRACE_SECONDS, r.locked_reason !== null);
    if (closed) throw appError(closed);
    const { rowCount } = await tx.query('SELECT 1 FROM submission_attachments WHERE upload_id = $1', [id]);
    if (rowCount) throw handedIn();
    await deleteUpload(tx, id);
    return writeAttachmentEntry(tx, registrationId, id, null);
  });
  if (done) {
    await publishDocumentUpdate(deps.bus, registrationId, done).catch((err: unknown) =>
      deps.log.warn({ err, registrationId }, 'attachment removal not relayed; devices see it when they reconnect'),
    );
  }
}
