import type { Role } from '../../http/context.ts';
import { refuse, type Refusal } from '../../refusal.ts';

/**
 * The pure rules of signing in with UNI-Login (docs/rules.md §12): where a sign-in may return to, who a
 * UNI-Login person is in Prøvesal, and whether their level of assurance suffices for that role. No I/O.
 */

/** UNI-Login's levels of assurance, weakest first (its `unilogin_loa` / `acr` values). */
export const LEVELS = ['EnFaktor', 'ToFaktor'] as const;
export type Level = (typeof LEVELS)[number];

export const ROLES: readonly Role[] = ['candidate', 'invigilator', 'school_admin', 'grader', 'ministry'];
export const STAFF_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'candidate');

/**
 * A relative path on this site, or null. Refuses what a browser would resolve to another origin: absolute URLs,
 * protocol-relative `//host`, and `/\host` (browsers read a backslash as a slash); control characters too.
 */
export function safeReturnTo(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return '/';
  if (raw.length > 2000 || !raw.startsWith('/')) return null;
  if (raw.includes('\\') || raw.startsWith('//') || [...raw].some((ch) => ch < ' ' || ch === '\u007f')) return null;
  // Resolve as the browser will: the result must stay on our origin and be the same path.
  const base = 'http://provesal.invalid';
  const url = new URL(raw, base);
  return url.origin === base ? url.pathname + url.search + url.hash : null;
}

/** The level a token asserts: `acr` and UNI-Login's own `unilogin_loa`; when both are given, the weaker counts. */
export function levelFromClaims(claims: { acr?: unknown; unilogin_loa?: unknown }): Level | null {
  const known = [claims.acr, claims.unilogin_loa].filter((v): v is Level => LEVELS.includes(v as Level));
  if (!known.length) return null;
  return known.reduce((a, b) => (LEVELS.indexOf(a) <= LEVELS.indexOf(b) ? a : b));
}

export const meetsLevel = (actual: Level | null, minimum: Level): boolean => actual !== null && LEVELS.indexOf(actual) >= LEVELS.indexOf(minimum);

/** The strongest minimum among roles: what to ask for when the role is not known yet (the staff button). */
export const strongestOf = (levels: Level[]): Level => levels.reduce((a, b) => (LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b), 'EnFaktor');

/** What the id_token says about the person. */
export interface UniLoginClaims {
  uniid: string | null;
  aktoerGruppe: string | null;
  institutionIds: string[];
  level: Level | null;
}

/** A Prøvesal account the `uniid` matched: a candidate row or a staff user. */
export interface MatchedAccount {
  userId: number;
  role: Role;
  /** The institution number of the account's school; null for roles not bound to a school (ministry, grader). */
  institutionNo: string | null;
  disabled: boolean;
}

export type IdentityDecision = { userId: number; role: Role; level: Level } | Refusal;

const talkToSchool = (id: string, da: string, en: string) =>
  refuse(
    id,
    `${da} Tal med din skole, eller log ind med en engangskode fra den tilsynsførende.`,
    `${en} Talk to your school, or sign in with a one-time code from the invigilator.`,
  );

/**
 * Who this UNI-Login person is (docs/rules.md §12): `aktoer_gruppe` decides which accounts may be theirs (an
 * Elev is only ever a candidate, a Medarbejder only staff), a school-bound account needs the school among
 * `institution_ids`, and the level must reach the role's minimum.
 */
export function decideIdentity(claims: UniLoginClaims, accounts: MatchedAccount[], minimum: Record<Role, Level>): IdentityDecision {
  if (!claims.uniid) return refuse('oidc-claims-missing', 'UNI-Login sendte ikke dit brugernavn (uniid).', 'UNI-Login did not send your user id (uniid).');
  const wanted = claims.aktoerGruppe === 'Elev' ? 'candidate' : claims.aktoerGruppe === 'Medarbejder' ? 'staff' : null;
  if (!wanted) {
    return talkToSchool('oidc-group-refused', 'Prøvesal er kun for elever og medarbejdere.', 'Prøvesal is for pupils and staff only.');
  }
  const ofGroup = accounts.filter((a) => (a.role === 'candidate') === (wanted === 'candidate'));
  if (!ofGroup.length) {
    return accounts.length
      ? talkToSchool(
          'oidc-role-mismatch',
          'Din UNI-Login-rolle passer ikke til din konto i Prøvesal.',
          'Your UNI-Login role does not match your Prøvesal account.',
        )
      : talkToSchool('oidc-unknown-user', 'Vi kender ikke dit UNI-Login i Prøvesal.', 'Prøvesal does not know your UNI-Login.');
  }
  const atSchool = ofGroup.filter((a) => a.institutionNo === null || claims.institutionIds.includes(a.institutionNo));
  if (!atSchool.length) {
    return talkToSchool(
      'oidc-wrong-institution',
      'Dit UNI-Login er ikke knyttet til den skole, du er tilmeldt på i Prøvesal.',
      'Your UNI-Login is not linked to the school you are registered at in Prøvesal.',
    );
  }
  if (atSchool.length > 1) {
    return talkToSchool('oidc-ambiguous', 'Dit UNI-Login passer til flere konti i Prøvesal.', 'Your UNI-Login matches several Prøvesal accounts.');
  }
  const account = atSchool[0];
  if (account.disabled) return talkToSchool('oidc-account-disabled', 'Din konto i Prøvesal er spærret.', 'Your Prøvesal account is disabled.');
  if (!meetsLevel(claims.level, minimum[account.role])) return tooWeak(minimum[account.role]);
  return { userId: account.userId, role: account.role, level: claims.level! };
}

const tooWeak = (minimum: Level): Refusal =>
  minimum === 'ToFaktor'
    ? refuse(
        'oidc-level-too-low',
        'Din rolle kræver login med to faktorer. Log ind igen med knappen "Personale: UNI-Login med to faktorer", ' +
          'og skriv koden fra din Unilogin-app (eller brug MitID) efter adgangskoden.',
        'Your role needs a two-factor sign-in. Sign in again with the button "Staff: UNI-Login with two factors" ' +
          'and enter the code from your Unilogin app (or use MitID) after the password.',
      )
    : refuse('oidc-level-too-low', 'UNI-Login oplyste ikke, hvordan du loggede ind. Prøv igen.', 'UNI-Login did not say how you signed in. Try again.');

/** Reads the UNI-Login claims from a validated id_token's payload, tolerating a string where a list is usual. */
export function uniLoginClaims(payload: Record<string, unknown>): UniLoginClaims {
  const ids = payload.institution_ids;
  const list = Array.isArray(ids) ? ids : typeof ids === 'string' ? ids.split(/[\s,]+/) : [];
  return {
    uniid: typeof payload.uniid === 'string' && payload.uniid ? payload.uniid : null,
    aktoerGruppe: typeof payload.aktoer_gruppe === 'string' ? payload.aktoer_gruppe : null,
    institutionIds: list.filter((x): x is string => typeof x === 'string' && x !== ''),
    level: levelFromClaims(payload),
  };
}
