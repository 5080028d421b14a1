import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';

/** Boolean env values as operators write them. */
const flag = z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off']).transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const cores = (n: number) => z.coerce.number().int().min(1).max(64).default(n);

/** `10.0.0.7` or `10.0.0.0/8` (IPv4 or IPv6). */
const isAddressOrRange = (s: string): boolean => {
  const [ip, bits, extra] = s.split('/');
  const family = isIP(ip);
  if (!family || extra !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};

/** A comma-separated list of proxy addresses or ranges. */
const addressList = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().refine(isAddressOrRange, 'not an IP address or CIDR range (e.g. 10.0.0.7 or 10.0.0.0/8)')));

const ROLES = ['candidate', 'invigilator', 'school_admin', 'grader', 'ministry'] as const;
/** A comma-separated list of roles. */
const roleList = z
  .string()
  .default(ROLES.join(','))
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(ROLES, { error: `not a role (${ROLES.join(', ')})` })));
/** UNI-Login's levels of assurance (docs/rules.md §12). */
const level = z.enum(['EnFaktor', 'ToFaktor'], { error: 'must be EnFaktor or ToFaktor' });
/** http(s) URL; plain http only on this machine (a dev stand-in such as `npm run oidc:dev`). */
const oidcUrl = z
  .string()
  .url()
  .refine((s) => {
    const u = new URL(s);
    return u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname));
  }, 'must be https:// (http:// only for 127.0.0.1 or localhost)');

/** Set all of these to sign in with UNI-Login, or none. */
export const OIDC_REQUIRED = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URI'] as const;

/** Every environment variable Prøvesal reads; `.env.example` mirrors this list. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** postgres://… of a real server; unset → an embedded PostgreSQL under DATA_DIR/pg. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(200).default(20),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Port of the embedded PostgreSQL; 0 picks a free one. */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** redis://… to share live events between app nodes; unset → in-process bus (single node). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis://')
    .optional(),
  /** Prefix of Redis pub/sub channels, so environments sharing one Redis never see each other's events. */
  REDIS_CHANNEL_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/)
    .default('provesal:'),
  /** Seed the demo into an empty database. Default: on, except NODE_ENV=production (docs/rules.md §9). */
  DEMO: flag.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BCRYPT_COST: z.coerce.number().int().min(10).max(15).default(10),
  PASSWORD_WORKERS: cores(2),
  /**
   * Failed sign-ins (wrong passwords and wrong codes) per client address per minute before that address's password
   * sign-ins wait. Successes never count: a whole municipality may sit behind one NAT address (5,000 pupils in
   * 5 minutes with typos fit in 400). Per node.
   */
  LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(400),
  /** Wrong one-time codes per minute across the node before code sign-in waits (codes are ~59 random bits). */
  LOGIN_CODE_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(3000),
  SESSION_TTL_HOURS: z.coerce.number().min(0.01).max(72).default(12),
  /** Set when TLS terminates in front of the app: cookies get `Secure`, responses HSTS. Default: on in production. */
  COOKIE_SECURE: flag.optional(),
  /**
   * Trust X-Forwarded-Proto / X-Forwarded-Host (and X-Forwarded-For, see below) from the load balancer.
   * Set alone it means one trusted hop; TRUST_PROXY_HOPS or TRUST_PROXY_ADDRESSES imply it.
   */
  TRUST_PROXY: flag.default(false),
  /**
   * How many proxies in front of the app append to X-Forwarded-For: the client is the entry that many from the
   * right (1 → the last entry, the one our proxy wrote). Entries further left are the client's own words.
   * Only safe when the app is reachable through the proxies alone.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * Or: the proxies' addresses/ranges. X-Forwarded-For is read only from a peer in this list, walking right to
   * left past every listed proxy; the first address not listed is the client.
   */
  TRUST_PROXY_ADDRESSES: addressList,
  /**
   * The URL pupils' browsers use: the only source of absolute URLs (the .seb start and quit URLs) and of the origin
   * websockets accept. Required in production; unset elsewhere it is http://localhost:PORT (http/publicOrigin.ts).
   */
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Ceiling of a JSON body on routes without their own (uploads have theirs); counted while it streams. */
  JSON_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(64 * 1024),
  /** 32 bytes, base64 or hex: wraps each sitting's question-paper key. Unset → generated under DATA_DIR. */
  PAPER_MASTER_KEY: z.string().optional(),
  /** Seconds after a candidate's end during which in-flight changes are still accepted. */
  ANSWER_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /** Files a pupil may attach to one answer (docs/rules.md "Attachments"). */
  ATTACHMENT_MAX_FILES: z.coerce.number().int().min(0).max(100).default(10),
  /** Largest single attachment; refused with 413 from Upload-Length before any byte of it is read. */
  ATTACHMENT_MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  /** All of one pupil's attachments together, finished or still arriving. */
  ATTACHMENT_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(100 * 1024 * 1024),
  /** An upload left unfinished this long is deleted (the tus expiration extension). */
  ATTACHMENT_UPLOAD_EXPIRY_HOURS: z.coerce.number().min(0.01).max(72).default(12),
  PDF_WORKERS: cores(1),
  /**
   * Extra readers of the listening socket's accept queue (src/http/extraAcceptors.ts): libuv accepts one
   * connection per event-loop iteration per reader, so a start storm is accepted up to this many + 1 times faster.
   */
  LISTEN_EXTRA_ACCEPTORS: z.coerce.number().int().min(0).max(64).default(15),
  /** A PDF job claimed by a node that died is taken over after this long (it must exceed one render + sign). */
  PDF_JOB_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(120),
  /** PKCS#12 file and password of the signing certificate; unset → a self-made CA under DATA_DIR. */
  SIGNING_P12_PATH: z.string().optional(),
  SIGNING_P12_PASSWORD: z.string().optional(),
  /**
   * PEM file of the certificates a signed PDF must chain to for "Verificér fil" to call it trusted ("betroet").
   * Unset → no signature is called trusted; the demo's self-made certificate is shown as a demo certificate.
   */
  SIGNING_TRUST_ANCHORS_PATH: z.string().optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120000).default(10000),
  /** UNI-Login (OpenID Connect) issuer, e.g. https://et-broker.unilogin.dk/auth/realms/broker. Unset → no UNI-Login. */
  OIDC_ISSUER: oidcUrl.optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(200).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(500).optional(),
  /** Our callback as registered with the provider: https://<host>/api/auth/oidc/callback. */
  OIDC_REDIRECT_URI: oidcUrl.refine((s) => new URL(s).pathname === '/api/auth/oidc/callback', 'must end in /api/auth/oidc/callback').optional(),
  /** Where the provider sends the browser after logout; unset → the redirect URI's origin + "/". */
  OIDC_POST_LOGOUT_REDIRECT_URI: oidcUrl.optional(),
  /** Space-separated scopes to ask for; must include openid. */
  OIDC_SCOPES: z
    .string()
    .default('openid')
    .refine((s) => /^[\w:./-]+( [\w:./-]+)*$/.test(s) && s.split(' ').includes('openid'), 'space-separated scopes including openid'),
  /** The weakest UNI-Login sign-in each role accepts (checked on the id_token's acr, not merely asked for). */
  OIDC_MIN_LOA_CANDIDATE: level.default('EnFaktor'),
  OIDC_MIN_LOA_INVIGILATOR: level.default('ToFaktor'),
  OIDC_MIN_LOA_SCHOOL_ADMIN: level.default('ToFaktor'),
  OIDC_MIN_LOA_GRADER: level.default('ToFaktor'),
  OIDC_MIN_LOA_MINISTRY: level.default('ToFaktor'),
  /** How often a reachable UNI-Login is checked again, so the login page stops offering it soon after it goes down. */
  OIDC_CHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Roles that may still sign in with a local password (the demo keeps all); one-time codes are not affected. */
  PASSWORD_LOGIN_ROLES: roleList,
});

type ParsedConfig = z.infer<typeof configSchema>;

/** The configuration after defaults that depend on NODE_ENV are applied. */
export type Config = Omit<ParsedConfig, 'DEMO' | 'COOKIE_SECURE'> & { DEMO: boolean; COOKIE_SECURE: boolean };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * The process environment over `./.env` if present (`cp .env.example .env`, uncomment what you need): a variable
 * set in the environment wins. Lines are KEY=VALUE; `#` starts a comment line; quotes around a value are dropped.
 */
export function environment(file = '.env', env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (!existsSync(file)) return env;
  const fromFile: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([A-Z][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) fromFile[m[1]] = m[2].replace(/^(["'])(.*)\1$/, '$2');
  }
  return { ...fromFile, ...env };
}

/** Parses the environment once; throws one ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = environment()): Config {
  const cleaned = Object.fromEntries(Object.keys(configSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = configSchema.safeParse(cleaned);
  // All-or-nothing is read from the raw values, so its message comes together with any malformed ones.
  const given = OIDC_REQUIRED.filter((k) => cleaned[k] !== undefined);
  const oidcProblems =
    given.length && given.length < OIDC_REQUIRED.length
      ? OIDC_REQUIRED.filter((k) => cleaned[k] === undefined).map(
          (k) => `${k}: required when ${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} set (set all of ${OIDC_REQUIRED.join(', ')} or none)`,
        )
      : [];
  if (!parsed.success) {
    throw new ConfigError([...parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`), ...oidcProblems]);
  }
  const problems: string[] = [...oidcProblems];
  const c = parsed.data;
  if (c.SIGNING_P12_PATH && c.SIGNING_P12_PASSWORD === undefined) {
    problems.push('SIGNING_P12_PASSWORD: required when SIGNING_P12_PATH is set');
  }
  if (c.TRUST_PROXY_HOPS > 0 && c.TRUST_PROXY_ADDRESSES.length > 0) {
    problems.push('TRUST_PROXY_HOPS: set either TRUST_PROXY_HOPS or TRUST_PROXY_ADDRESSES, not both');
  }
  const production = c.NODE_ENV === 'production';
  // Without it a request's Host header would have to name our own address (hardening issue, point 4).
  if (production && !c.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL: required when NODE_ENV=production (e.g. https://provesal.example.dk)');
  if (problems.length) throw new ConfigError(problems);
  // Production is safe unless told otherwise: no demo accounts, cookies only over TLS.
  return withProxyDefaults({ ...c, DEMO: c.DEMO ?? !production, COOKIE_SECURE: c.COOKIE_SECURE ?? production });
}

/** TRUST_PROXY=1 alone (the older setting) means one trusted hop; hops or proxy addresses imply TRUST_PROXY. */
function withProxyDefaults(c: Config): Config {
  const byAddress = c.TRUST_PROXY_ADDRESSES.length > 0;
  const hops = c.TRUST_PROXY && c.TRUST_PROXY_HOPS === 0 && !byAddress ? 1 : c.TRUST_PROXY_HOPS;
  return { ...c, TRUST_PROXY_HOPS: hops, TRUST_PROXY: hops > 0 || byAddress };
}
