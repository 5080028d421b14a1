import type { IncomingMessage } from 'node:http';
import { cookieFromHeader, resolveSession } from '../auth/sessions.ts';
import { findRegistrationContext } from '../exam/queries.ts';
import type { AppDeps } from '../http/context.ts';
import { requestUrl } from '../http/requestUrl.ts';
import { checkLockdown } from '../lockdown/gate.ts';
import type { AdmissionInput } from './admission.ts';
import { deviceHolder } from './presence.ts';

export const ANSWER_PATH = '/ws/answer/';

/**
 * The I/O half of admission: session, registration, lockdown gate; each read only when the previous allows.
 * `path` is the socket's prefix, followed by the registration id (the answer socket, or the lobby's presence socket).
 */
export async function readAdmission(
  deps: AppDeps,
  req: IncomingMessage,
  graceSeconds: number,
  path = ANSWER_PATH,
): Promise<{ input: AdmissionInput; sessionId?: number }> {
  const now = deps.now();
  const url = new URL(req.url ?? '/', 'http://path.only');
  const input: AdmissionInput = {
    registrationId: null,
    actor: null,
    registration: null,
    lockdown: null,
    device: { id: deviceIdOf(url), holder: null },
    now,
    graceSeconds: graceSeconds,
  };
  const id = Number(url.pathname.slice(path.length).split('/')[0]);
  if (!Number.isSafeInteger(id) || id <= 0) return { input };
  input.registrationId = id;
  const token = cookieFromHeader(req.headers.cookie);
  const session = token ? await resolveSession(deps.db, token, now) : null;
  if (!session || !('actor' in session)) return { input };
  input.actor = session.actor;
  const sessionId = session.actor.sessionId;
  if (session.actor.role !== 'candidate') return { input, sessionId };
  input.registration = await findRegistrationContext(deps.db, id);
  if (input.registration?.candidate_user_id !== session.actor.userId) return { input, sessionId };
  const r = input.registration;
  input.lockdown = await checkLockdown(deps, {
    sittingId: r.sitting_id,
    lockdownProfile: r.lockdown_profile,
    requestUrl: requestUrl(req.url ?? '/', req.headers, deps.config),
    headers: req.headers,
  });
  input.device.holder = await deviceHolder(deps.db, id, now);
  return { input, sessionId };
}

/** The browser's own name for itself (`?device=`, kept in its localStorage); anything malformed counts as none. */
const deviceIdOf = (url: URL): string | null => {
  const d = url.searchParams.get('device');
  return d && /^[A-Za-z0-9_-]{8,64}$/.test(d) ? d : null;
};
