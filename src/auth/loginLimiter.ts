import {
  backoffAfterFailure,
  backoffWaitSeconds,
  DEFAULT_LOGIN_RULES,
  isForgotten,
  windowAfterFailure,
  windowWaitSeconds,
  type Backoff,
  type LoginRules,
} from './rateLimit.ts';

// Each map is bounded: attackers choose the keys (usernames, addresses, typed codes). The least recently touched
// entry goes first; it is also the one whose window is most likely over.
const MAX_ENTRIES = 200_000;

/**
 * The in-memory state of the sign-in rules (rateLimit.ts) on this node. Ask before the expensive check
 * (bcrypt, the code lookup), record after it; successes are never counted per address.
 */
export class LoginRateLimiter {
  private readonly pairs = new Map<string, Backoff>();
  private readonly addressFailures = new Map<string, number[]>();
  private readonly codeFailures = new Map<string, number[]>();
  private globalCodeFailures: number[] = [];
  private writes = 0;

  constructor(
    private readonly rules: LoginRules = DEFAULT_LOGIN_RULES,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Seconds before this account may try a password from this address (0 = go ahead). */
  passwordWait(account: string, address: string): number {
    const now = this.clock();
    const r = this.rules;
    return Math.max(
      backoffWaitSeconds(this.pairs.get(pairKey(account, address)), now, r),
      windowWaitSeconds(this.addressFailures.get(address) ?? [], r.addressFailures, now, r.addressWindowMs),
    );
  }

  passwordFailed(account: string, address: string): void {
    const now = this.clock();
    const key = pairKey(account, address);
    touch(this.pairs, key, backoffAfterFailure(this.pairs.get(key), now, this.rules));
    this.addressFailed(address, now);
  }

  /** The right password ends the pair's backoff; the address's failures stay (they were failures). */
  passwordSucceeded(account: string, address: string): void {
    this.pairs.delete(pairKey(account, address));
  }

  /** Seconds before this typed code may be checked (0 = go ahead). Never depends on the caller's address. */
  codeWait(codeKey: string): number {
    const now = this.clock();
    const r = this.rules;
    return Math.max(
      windowWaitSeconds(this.codeFailures.get(codeKey) ?? [], r.codeFailuresPerCode, now, r.codeWindowMs),
      windowWaitSeconds(this.globalCodeFailures, r.codeFailuresGlobal, now, r.codeGlobalWindowMs),
    );
  }

  /** A wrong code counts for the code, for the node, and as a failure of the address (which slows passwords only). */
  codeFailed(codeKey: string, address: string): void {
    const now = this.clock();
    const r = this.rules;
    touch(this.codeFailures, codeKey, windowAfterFailure(this.codeFailures.get(codeKey) ?? [], now, r.codeWindowMs, r.codeFailuresPerCode));
    this.globalCodeFailures = windowAfterFailure(this.globalCodeFailures, now, r.codeGlobalWindowMs, r.codeFailuresGlobal);
    this.addressFailed(address, now);
  }

  /** Entries held (for tests of the memory bound). */
  get size(): number {
    return this.pairs.size + this.addressFailures.size + this.codeFailures.size;
  }

  /** Drops what the rules no longer look at; called by the store itself as maps grow. */
  sweep(now = this.clock()): void {
    const r = this.rules;
    for (const [k, v] of this.pairs) if (isForgotten(v, now, r)) this.pairs.delete(k);
    for (const [k, v] of this.addressFailures) if (!v.some((t) => t > now - r.addressWindowMs)) this.addressFailures.delete(k);
    for (const [k, v] of this.codeFailures) if (!v.some((t) => t > now - r.codeWindowMs)) this.codeFailures.delete(k);
  }

  private addressFailed(address: string, now: number): void {
    const r = this.rules;
    touch(this.addressFailures, address, windowAfterFailure(this.addressFailures.get(address) ?? [], now, r.addressWindowMs, r.addressFailures));
    if (++this.writes % 4096 === 0) this.sweep(now);
  }
}

const pairKey = (account: string, address: string) => `${account}\n${address}`;

/** Sets the entry as the most recent one and evicts the least recent beyond MAX_ENTRIES. */
function touch<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
}
