import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/pool.ts';
import type { PasswordHasher } from '../auth/passwordHasher.ts';
import type { LoginRateLimiter } from '../auth/rateLimit.ts';
import type { EventBus } from '../events/bus.ts';
import type { Metrics } from '../monitoring/metrics.ts';

export type Role = 'ministry' | 'school_admin' | 'invigilator' | 'grader' | 'candidate';

/** The signed-in user behind a request or websocket. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  schoolId: number | null;
  sessionId: number;
}

/** What every domain's routes and actions get: built once in main.ts (or a test). */
export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
  passwords: PasswordHasher;
  loginLimiter: LoginRateLimiter;
  bus: EventBus;
  metrics: Metrics;
  /** Server clock; tests replace it to cross time-window edges. */
  now: () => Date;
}

export type SessionProblem = 'expired' | 'revoked' | 'unknown' | 'disabled';

export type AppEnv = {
  Variables: {
    actor: Actor | null;
    sessionProblem: SessionProblem | null;
    requestId: string;
    /** The caller's address as the trusted proxies report it (http/clientAddress.ts). */
    clientAddress: string;
    /** The absolute URL the client requested (http/requestUrl.ts). */
    requestUrl: string;
  };
};
