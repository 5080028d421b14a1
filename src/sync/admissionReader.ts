import type { IncomingMessage } from 'node:http';
import { findSessions, type SessionLookup } from '../auth/queries.ts';
import { cookieFromHeader, resolveSession } from '../auth/sessions.ts';
import { ReadBatch } from '../db/readBatch.ts';
import { findRegistrationContexts, type RegistrationContext } from '../exam/queries.ts';
import type { AppDeps } from '../http/context.ts';
import { requestUrl } from '../http/requestUrl.ts';
import { checkLockdown } from '../lockdown/gate.ts';
import type { AdmissionInput, DeviceHolder } from './admission.ts';
import { deviceHolders } from './presence.ts';

export const ANSWER_PATH = '/ws/answer/';

/**
 * The admission reads of every socket of a node (answer and lobby), batched over a few milliseconds: a start
 * storm of thousands of sockets costs a few statements per read instead of one round trip per socket per read.
 * Nothing is cached (src/db/readBatch.ts): a session revoked or a window closed a moment ago is seen.
 */
interface AdmissionReads {
  sessions: ReadBatch<string, SessionLookup>;
  registrations: ReadBatch<number, RegistrationContext>;
  holders: ReadBatch<number, DeviceHolder>;
}

const readsByDeps = new WeakMap<AppDeps, AdmissionReads>();

function readsOf(deps: AppDeps): AdmissionReads {
  let reads = readsByDeps.get(deps);
  if (!reads) {
    const db = deps.db;
    reads = {
      sessions: new ReadBatch((hexes) =>
        findSessions(
          db,
          hexes.map((h) => Buffer.from(h, 'hex')),
        ),
      ),
      registrations: new ReadBatch((ids) => findRegistrationContexts(db, ids)),
      // The holder's liveness is judged at the read, as with one query per socket.
      holders: new ReadBatch((ids) => deviceHolders(db, ids, deps.now())),
    };
    readsByDeps.set(deps, reads);
  }
  return reads;
}

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
  const reads = readsOf(deps);
  const token = cookieFromHeader(req.headers.cookie);
  const session = token ? await resolveSession(deps.db, token, now, (hash) => reads.sessions.load(hash.toString('hex'))) : null;
  if (!session || !('actor' in session)) return { input };
  input.actor = session.actor;
  const sessionId = session.actor.sessionId;
  if (session.actor.role !== 'candidate') return { input, sessionId };
  // The holder is read beside the registration (one round trip, not two) but handed to the decision only for the
  // owner: what a stranger may learn is decided by decideAdmission alone, on the same input as before.
  const [registration, holder] = await Promise.all([reads.registrations.load(id), reads.holders.load(id)]);
  input.registration = registration ?? null;
  if (input.registration?.candidate_user_id !== session.actor.userId) return { input, sessionId };
  const r = input.registration;
  input.lockdown = await checkLockdown(deps, {
    sittingId: r.sitting_id,
    lockdownProfile: r.lockdown_profile,
    requestUrl: requestUrl(req.url ?? '/', req.headers, deps.config),
    headers: req.headers,
  });
  input.device.holder = holder ?? null;
  return { input, sessionId };
}

/** The browser's own name for itself (`?device=`, kept in its localStorage); anything malformed counts as none. */
const deviceIdOf = (url: URL): string | null => {
  const d = url.searchParams.get('device');
  return d && /^[A-Za-z0-9_-]{8,64}$/.test(d) ? d : null;
};
