import { z } from 'zod';

/** Boolean env values as operators write them. */
const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const cores = (n: number) => z.coerce.number().int().min(1).max(64).default(n);

/** Every environment variable Prøvesal reads; `.env.example` mirrors this list. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** postgres://… of a real server; unset → an embedded PostgreSQL under DATA_DIR/pg. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://').optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(200).default(20),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Port of the embedded PostgreSQL; 0 picks a free one. */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** redis://… to share live events between app nodes; unset → in-process bus (single node). */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis://').optional(),
  /** Prefix of Redis pub/sub channels, so environments sharing one Redis never see each other's events. */
  REDIS_CHANNEL_PREFIX: z.string().regex(/^[\w:.-]{1,64}$/).default('provesal:'),
  DEMO: flag.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BCRYPT_COST: z.coerce.number().int().min(10).max(15).default(10),
  PASSWORD_WORKERS: cores(2),
  /** Login attempts per client address per minute (a whole school may sit behind one NAT address). */
  LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  SESSION_TTL_HOURS: z.coerce.number().min(0.01).max(72).default(12),
  /** Set when TLS terminates in front of the app: cookies get `Secure`. */
  COOKIE_SECURE: flag.default(false),
  /** Trust X-Forwarded-For / X-Forwarded-Proto from the load balancer. */
  TRUST_PROXY: flag.default(false),
  /** The URL pupils' browsers use (needed for SEB's URL-bound key hash behind a proxy). */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** 32 bytes, base64 or hex: wraps each sitting's question-paper key. Unset → generated under DATA_DIR. */
  PAPER_MASTER_KEY: z.string().optional(),
  /** Seconds after a candidate's end during which in-flight changes are still accepted. */
  ANSWER_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  PDF_WORKERS: cores(1),
  /** A PDF job claimed by a node that died is taken over after this long (it must exceed one render + sign). */
  PDF_JOB_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(120),
  /** PKCS#12 file and password of the signing certificate; unset → a self-made CA under DATA_DIR. */
  SIGNING_P12_PATH: z.string().optional(),
  SIGNING_P12_PASSWORD: z.string().optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120000).default(10000),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment once; throws one ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.keys(configSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const problems: string[] = [];
  const c = parsed.data;
  if (c.SIGNING_P12_PATH && c.SIGNING_P12_PASSWORD === undefined) {
    problems.push('SIGNING_P12_PASSWORD: required when SIGNING_P12_PATH is set');
  }
  if (problems.length) throw new ConfigError(problems);
  return c;
}
