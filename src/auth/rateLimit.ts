import type { Config } from '../config.ts';

/**
 * Sign-in throttling rules (docs/rules.md §1), pure functions of (state, now). The store that keeps the state
 * is loginLimiter.ts. What the rules must never do: lock a pupil out before an exam. So
 * - a wrong password costs a short backoff for that (account, address) pair only, growing with consecutive
 *   failures and capped at 60 s — never a long lock someone else can trigger by typing the pupil's name;
 * - an address is slowed only by its FAILURES, with a ceiling sized for a whole municipality behind one NAT,
 *   so a login storm of successful sign-ins is never throttled by address;
 * - one-time codes are ~59 random bits (tokens.ts), so guessing is bounded per code and by a global failure
 *   budget, never per address: a school behind one NAT keeps signing pupils in with codes.
 * Per node: several nodes multiply the allowances by their count, still far below a useful guessing rate.
 */
export interface LoginRules {
  /** Consecutive wrong passwords per (account, address) that cost nothing (typos). */
  freeFailures: number;
  /** Backoff after the first failure beyond the free ones; doubles with each further failure. */
  firstBackoffMs: number;
  /** The backoff never exceeds this (the product promise: never a long lock). */
  maxBackoffMs: number;
  /** A pair with no failure for this long starts again from zero. */
  pairMemoryMs: number;
  /** Failures (wrong passwords and wrong codes) per address per window before its password sign-ins wait. */
  addressFailures: number;
  addressWindowMs: number;
  /** Failures of one typed code value per window (a device retrying a dead code, a pupil retyping a typo). */
  codeFailuresPerCode: number;
  codeWindowMs: number;
  /** Wrong codes per window across the node: the bound on guessing codes from many addresses at once. */
  codeFailuresGlobal: number;
  codeGlobalWindowMs: number;
}

export const MAX_BACKOFF_MS = 60_000;

export const DEFAULT_LOGIN_RULES: LoginRules = {
  freeFailures: 4,
  firstBackoffMs: 2_000,
  maxBackoffMs: MAX_BACKOFF_MS,
  pairMemoryMs: 15 * 60_000,
  // 5,000 pupils in 5 minutes is 1,000 sign-ins a minute; if one in five mistypes first, 200 failures a
  // minute. Twice that covers the peak of the storm (LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE).
  addressFailures: 400,
  addressWindowMs: 60_000,
  // A minute, like every other wait here: the value failing is never a pupil's live code.
  codeFailuresPerCode: 5,
  codeWindowMs: 60_000,
  // Even a full budget for a 10-hour exam day (1.8 M ≈ 2^21 guesses) against 2^17 live codes of 2^59 possible
  // leaves a chance of ~2^-21 of hitting one (LOGIN_CODE_FAILURES_PER_MINUTE).
  codeFailuresGlobal: 3_000,
  codeGlobalWindowMs: 60_000,
};

/** The rules with the operator's ceilings from the configuration. */
export function loginRulesFrom(config: Pick<Config, 'LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE' | 'LOGIN_CODE_FAILURES_PER_MINUTE'>): LoginRules {
  return { ...DEFAULT_LOGIN_RULES, addressFailures: config.LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE, codeFailuresGlobal: config.LOGIN_CODE_FAILURES_PER_MINUTE };
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

// ---- Backoff per (account, address) ---------------------------------------------------------------------------

export interface Backoff {
  failures: number;
  lastFailureAt: number;
}

/** The backoff owed after `failures` consecutive failures: 0 for the free ones, then doubling up to the cap. */
export function backoffMs(failures: number, rules: LoginRules): number {
  const beyond = failures - rules.freeFailures;
  if (beyond <= 0) return 0;
  return Math.min(rules.maxBackoffMs, rules.firstBackoffMs * 2 ** Math.min(beyond - 1, 30));
}

/** Seconds this pair must wait before its next password attempt; 0 = go ahead. */
export function backoffWaitSeconds(state: Backoff | undefined, now: number, rules: LoginRules): number {
  if (!state || isForgotten(state, now, rules)) return 0;
  const until = state.lastFailureAt + backoffMs(state.failures, rules);
  return until > now ? seconds(until - now) : 0;
}

/** The pair's state after one more wrong password. */
export function backoffAfterFailure(state: Backoff | undefined, now: number, rules: LoginRules): Backoff {
  const previous = state && !isForgotten(state, now, rules) ? state.failures : 0;
  return { failures: previous + 1, lastFailureAt: now };
}

/** A pair quiet for pairMemoryMs starts again from zero (and may be dropped from the store). */
export function isForgotten(state: Backoff, now: number, rules: LoginRules): boolean {
  return now - state.lastFailureAt >= rules.pairMemoryMs;
}

// ---- Sliding windows of failures (per address, per code, global) -----------------------------------------------

/** Failure times still inside the window, oldest first. */
export function prune(times: readonly number[], now: number, windowMs: number): number[] {
  return times.filter((t) => t > now - windowMs);
}

/** Seconds until enough failures leave the window to allow one more attempt; 0 when under the limit. */
export function windowWaitSeconds(times: readonly number[], limit: number, now: number, windowMs: number): number {
  const live = prune(times, now, windowMs);
  if (live.length < limit) return 0;
  const oldestThatMustExpire = live[live.length - limit];
  return seconds(oldestThatMustExpire + windowMs - now);
}

/** The window after one more failure; only the newest `limit` times matter, so no more are kept (bounded memory). */
export function windowAfterFailure(times: readonly number[], now: number, windowMs: number, limit: number): number[] {
  const live = prune(times, now, windowMs);
  live.push(now);
  return live.length > limit ? live.slice(live.length - limit) : live;
}

// The store lives apart from the rules; re-exported so callers keep importing it from here.
export { LoginRateLimiter } from './loginLimiter.ts';
