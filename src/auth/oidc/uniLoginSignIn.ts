import * as client from 'openid-client';
import { appendAudit } from '../../audit/auditLog.ts';
import { withTransaction } from '../../db/pool.ts';
import type { Actor, AppDeps } from '../../http/context.ts';
import { AppError, badRequest } from '../../http/errors.ts';
import { findUserById } from '../queries.ts';
import { createSession } from '../sessions.ts';
import type { SignedIn } from '../signIn.ts';
import { sha256 } from '../tokens.ts';
import { accountsByUniId, insertPendingLogin, storeSessionIdToken, takePendingLogin } from './queries.ts';
import { errorSummary, UniLoginUnavailable, type RelyingParty } from './relyingParty.ts';
import { decideIdentity, STAFF_ROLES, strongestOf, uniLoginClaims } from './rules.ts';

/** A sign-in begun at /start must be finished within 10 minutes (the pending row expires). */
export const PENDING_LOGIN_MINUTES = 10;

interface Meta {
  address: string;
  userAgent: string | null;
}

export const uniLoginUnavailable = () =>
  new AppError(
    503,
    'oidc-unavailable',
    'UNI-Login svarer ikke lige nu. Få en engangskode af den tilsynsførende, og log ind med den.',
    'UNI-Login is not answering right now. Get a one-time code from the invigilator and sign in with it.',
    {},
    { 'Retry-After': '30' },
  );

const stateInvalid = () =>
  badRequest(
    'oidc-state-invalid',
    'Login-forsøget er ukendt, udløbet eller allerede brugt. Start forfra med "Log ind med UNI-Login".',
    'The sign-in attempt is unknown, expired or already used. Start again with "Sign in with UNI-Login".',
  );

/**
 * Begins a UNI-Login sign-in: stores the PKCE verifier and nonce under the state's hash, bound to this browser's
 * cookie key, and returns where to send the browser. The staff button asks for the strongest staff minimum and a
 * fresh login (the role is not known before the callback).
 */
export async function beginUniLoginSignIn(deps: AppDeps, rp: RelyingParty, p: { returnTo: string; staff: boolean; browserKey: string }): Promise<URL> {
  if (!rp.available) throw uniLoginUnavailable();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const min = rp.settings.minimum;
  const url = rp.authorizationUrl({
    state,
    nonce,
    codeChallenge: await client.calculatePKCECodeChallenge(codeVerifier),
    forceLogin: p.staff,
    acr: p.staff ? strongestOf(STAFF_ROLES.map((r) => min[r])) : min.candidate,
  });
  const now = deps.now();
  await insertPendingLogin(deps.db, {
    stateHash: sha256(state),
    browserHash: sha256(p.browserKey),
    nonce,
    codeVerifier,
    returnTo: p.returnTo,
    now,
    expiresAt: new Date(now.getTime() + PENDING_LOGIN_MINUTES * 60_000),
  });
  return url;
}

/**
 * Finishes a sign-in at the callback: the pending row is taken (single use), the code redeemed and the id_token
 * validated by openid-client, then the person is matched and their level checked (docs/rules.md §12). Every
 * refusal is audited with the reason; a success creates the normal session and keeps the id_token for logout.
 */
export async function finishUniLoginSignIn(
  deps: AppDeps,
  rp: RelyingParty,
  p: { query: URLSearchParams; browserKey: string | null; meta: Meta },
): Promise<SignedIn & { returnTo: string }> {
  const state = p.query.get('state');
  if (!state)
    throw badRequest('oidc-state-missing', 'Svaret fra UNI-Login mangler "state". Start forfra.', 'The answer from UNI-Login has no "state". Start again.');
  if (!p.browserKey) throw stateInvalid();
  const pending = await takePendingLogin(deps.db, sha256(state), sha256(p.browserKey));
  if (!pending || pending.expires_at.getTime() <= deps.now().getTime()) throw stateInvalid();

  let token: { idToken: string; claims: Record<string, unknown> };
  try {
    token = await rp.finish(p.query.toString(), { state, nonce: pending.nonce, codeVerifier: pending.code_verifier });
  } catch (err) {
    if (isUnreachable(err)) {
      deps.log.warn({ err: errorSummary(err) }, 'UNI-Login unreachable while finishing a sign-in');
      throw uniLoginUnavailable();
    }
    if (!isProtocolError(err)) throw err;
    if (err instanceof client.AuthorizationResponseError && err.error === 'access_denied') {
      throw badRequest(
        'oidc-cancelled',
        'Login med UNI-Login blev afbrudt. Du er ikke logget ind.',
        'Sign-in with UNI-Login was cancelled. You are not signed in.',
      );
    }
    deps.log.warn({ err: errorSummary(err), address: p.meta.address }, 'UNI-Login answer refused');
    await audit(deps, null, 'auth.login_failed', { method: 'oidc', level: null, reason: 'oidc-response-rejected', address: p.meta.address });
    throw badRequest(
      'oidc-response-rejected',
      'Svaret fra UNI-Login kunne ikke godkendes, og du er ikke logget ind. Start forfra.',
      'The answer from UNI-Login could not be verified, and you are not signed in. Start again.',
    );
  }

  const claims = uniLoginClaims(token.claims);
  const decision = decideIdentity(claims, claims.uniid ? await accountsByUniId(deps.db, claims.uniid) : [], rp.settings.minimum);
  if (!('userId' in decision)) {
    await audit(deps, null, 'auth.login_failed', { method: 'oidc', level: claims.level, reason: decision.id, uniId: claims.uniid, address: p.meta.address });
    throw new AppError(403, decision.id, decision.da, decision.en);
  }
  const signedIn = await withTransaction(deps.db, async (tx) => {
    const user = await findUserById(tx, decision.userId);
    if (!user || user.disabled) return null;
    const s = await createSession(tx, user.id, deps.config.SESSION_TTL_HOURS, deps.now(), p.meta);
    await storeSessionIdToken(tx, s.sessionId, token.idToken);
    const actor: Actor = {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      role: user.role,
      schoolId: user.school_id,
      sessionId: s.sessionId,
    };
    await appendAudit(tx, {
      actor,
      action: 'auth.login',
      subjectType: 'user',
      subjectId: user.id,
      details: { method: 'oidc', level: decision.level, address: p.meta.address },
    });
    return { actor, token: s.token, expiresAt: s.expiresAt };
  });
  if (!signedIn) throw new AppError(403, 'oidc-account-disabled', 'Din konto i Prøvesal er spærret.', 'Your Prøvesal account is disabled.');
  return { ...signedIn, returnTo: pending.return_to };
}

const audit = (deps: AppDeps, actor: null, action: string, details: Record<string, unknown>) =>
  withTransaction(deps.db, (tx) => appendAudit(tx, { actor, action, subjectType: 'user', subjectId: String(details.uniId ?? 'uni-login'), details }));

/** The provider could not be reached (down, or discovery not done): not the browser's fault. */
const isUnreachable = (err: unknown) =>
  err instanceof UniLoginUnavailable ||
  (err instanceof TypeError && err.message === 'fetch failed') ||
  (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'));

/** The answer or token failed a protocol check (state, code, PKCE, signature, iss, aud, exp, nonce). */
const isProtocolError = (err: unknown) =>
  err instanceof client.ClientError ||
  err instanceof client.ResponseBodyError ||
  err instanceof client.AuthorizationResponseError ||
  err instanceof client.WWWAuthenticateChallengeError;
