/**
 * Login rate limits (docs/rules.md §1), as pure rules over a small in-memory store. Failures per account lock
 * that account for a while; attempts per address are capped so one machine cannot sweep usernames.
 * Per node: several nodes multiply the allowance by their count, still far below a useful attack rate.
 */
export interface RateLimitRules {
  accountFailures: number;
  accountWindowMs: number;
  addressAttempts: number;
  addressWindowMs: number;
}

export const DEFAULT_LOGIN_RULES: RateLimitRules = {
  accountFailures: 5,
  accountWindowMs: 15 * 60_000,
  // A whole school behind one NAT logs in at 08:30; configurable (LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE).
  addressAttempts: 600,
  addressWindowMs: 60_000,
};

/** Timestamps still inside the window, oldest first. */
export function prune(times: number[], now: number, windowMs: number): number[] {
  return times.filter((t) => t > now - windowMs);
}

/** Seconds until the oldest event leaves the window when the count is at the limit; 0 when allowed. */
export function retryAfterSeconds(times: number[], limit: number, now: number, windowMs: number): number {
  const live = prune(times, now, windowMs);
  if (live.length < limit) return 0;
  const oldestThatMustExpire = live[live.length - limit];
  return Math.max(1, Math.ceil((oldestThatMustExpire + windowMs - now) / 1000));
}

export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly attempts = new Map<string, number[]>();

  constructor(private readonly rules: RateLimitRules = DEFAULT_LOGIN_RULES, private readonly clock: () => number = Date.now) {}

  /** Seconds the caller must wait before trying (0 = go ahead). Counts the attempt for the address. */
  check(account: string, address: string): number {
    const now = this.clock();
    const byAccount = retryAfterSeconds(this.failures.get(account) ?? [], this.rules.accountFailures, now, this.rules.accountWindowMs);
    if (byAccount) return byAccount;
    const seen = prune(this.attempts.get(address) ?? [], now, this.rules.addressWindowMs);
    const byAddress = retryAfterSeconds(seen, this.rules.addressAttempts, now, this.rules.addressWindowMs);
    if (byAddress) return byAddress;
    seen.push(now);
    this.attempts.set(address, seen);
    return 0;
  }

  recordFailure(account: string): void {
    const now = this.clock();
    const list = prune(this.failures.get(account) ?? [], now, this.rules.accountWindowMs);
    list.push(now);
    this.failures.set(account, list);
  }

  recordSuccess(account: string): void { this.failures.delete(account); }
}
