import * as client from 'openid-client';
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import type { Role } from '../../http/context.ts';
import type { Level } from './rules.ts';

/** What the relying party needs from the configuration (all four required values present). */
export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  redirectUri: URL;
  postLogoutRedirectUri: URL;
  scopes: string;
  minimum: Record<Role, Level>;
}

/** The UNI-Login settings, or null when UNI-Login is not configured (config.ts checks all-or-nothing). */
export function oidcSettingsFrom(c: Config): OidcSettings | null {
  if (!c.OIDC_ISSUER || !c.OIDC_CLIENT_ID || !c.OIDC_CLIENT_SECRET || !c.OIDC_REDIRECT_URI) return null;
  const redirectUri = new URL(c.OIDC_REDIRECT_URI);
  return {
    issuer: new URL(c.OIDC_ISSUER),
    clientId: c.OIDC_CLIENT_ID,
    clientSecret: c.OIDC_CLIENT_SECRET,
    redirectUri,
    postLogoutRedirectUri: new URL(c.OIDC_POST_LOGOUT_REDIRECT_URI ?? `${redirectUri.origin}/`),
    scopes: c.OIDC_SCOPES,
    minimum: {
      candidate: c.OIDC_MIN_LOA_CANDIDATE,
      invigilator: c.OIDC_MIN_LOA_INVIGILATOR,
      school_admin: c.OIDC_MIN_LOA_SCHOOL_ADMIN,
      grader: c.OIDC_MIN_LOA_GRADER,
      ministry: c.OIDC_MIN_LOA_MINISTRY,
    },
  };
}

export interface RelyingPartyOptions {
  /** First retry after a failed discovery; doubles up to maxRetryMs. */
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** How often a reachable provider is checked again, so the login page stops offering it when it goes down. */
  recheckMs?: number;
  /** Replaces fetch for every call to the provider (tests put a tampering network in between). */
  fetch?: client.CustomFetch;
}

/**
 * The UNI-Login relying party (openid-client 6). Discovery runs in the background and is retried with backoff,
 * so the server starts and serves one-time codes while UNI-Login is down (docs/rules.md §12).
 */
export class RelyingParty {
  private configuration: client.Configuration | null = null;
  private reachable = false;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;
  private started: Promise<void> | null = null;
  private readonly firstRetryMs: number;
  private readonly maxRetryMs: number;
  private readonly recheckMs: number;

  constructor(
    readonly settings: OidcSettings,
    private readonly log: Logger,
    private readonly options: RelyingPartyOptions = {},
  ) {
    this.firstRetryMs = options.firstRetryMs ?? 1_000;
    this.maxRetryMs = options.maxRetryMs ?? 60_000;
    this.recheckMs = options.recheckMs ?? 60_000;
  }

  /** Whether /start can send a browser to the provider now. */
  get available(): boolean {
    return this.reachable && this.configuration !== null;
  }

  /** Starts the discovery loop once; resolves after the first attempt (failure included: the server starts anyway). */
  start(): Promise<void> {
    return (this.started ??= this.check());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** One discovery attempt, then the next one scheduled: soon after a failure (backoff), rarely after success. */
  private async check(): Promise<void> {
    try {
      this.configuration = await this.discover();
      if (!this.reachable) this.log.info({ issuer: this.settings.issuer.href }, 'UNI-Login reachable');
      this.reachable = true;
      this.failures = 0;
    } catch (err) {
      this.failures++;
      if (this.reachable || this.failures === 1)
        this.log.warn({ err: errorSummary(err), issuer: this.settings.issuer.href }, 'UNI-Login unreachable: retrying with backoff');
      this.reachable = false;
    }
    if (this.stopped) return;
    const delay = this.reachable ? this.recheckMs : Math.min(this.maxRetryMs, this.firstRetryMs * 2 ** (this.failures - 1)) * (0.8 + Math.random() * 0.4);
    // unref: a provider that never answers must not keep a finished process alive.
    this.timer = setTimeout(() => void this.check(), delay).unref();
  }

  private async discover(): Promise<client.Configuration> {
    const s = this.settings;
    // Without enableNonRepudiationChecks openid-client 6 does not verify the id_token's signature.
    const execute = [client.enableNonRepudiationChecks];
    if (s.issuer.protocol === 'http:') execute.push(client.allowInsecureRequests);
    const options: client.DiscoveryRequestOptions = { execute, timeout: 5 };
    if (this.options.fetch) options[client.customFetch] = this.options.fetch;
    return client.discovery(s.issuer, s.clientId, undefined, client.ClientSecretBasic(s.clientSecret), options);
  }

  private ready(): client.Configuration {
    if (!this.configuration || !this.reachable) throw new UniLoginUnavailable();
    return this.configuration;
  }

  /** The provider's authorization URL for one sign-in (Authorization Code + PKCE S256, state, nonce). */
  authorizationUrl(p: { state: string; nonce: string; codeChallenge: string; acr: Level; forceLogin: boolean }): URL {
    return client.buildAuthorizationUrl(this.ready(), {
      redirect_uri: this.settings.redirectUri.href,
      scope: this.settings.scopes,
      response_type: 'code',
      code_challenge: p.codeChallenge,
      code_challenge_method: 'S256',
      state: p.state,
      nonce: p.nonce,
      // A request, not a guarantee: the callback checks the acr it gets.
      acr_values: p.acr,
      ...(p.forceLogin ? { prompt: 'login' } : {}),
    });
  }

  /**
   * Redeems the code and validates the id_token (signature, issuer, audience, expiry, nonce) and the state.
   * `query` is the callback's query string; the URL is rebuilt on the registered redirect URI so a proxy's view
   * of the host cannot change what is sent to the provider.
   */
  async finish(query: string, checks: { state: string; nonce: string; codeVerifier: string }): Promise<{ idToken: string; claims: Record<string, unknown> }> {
    const url = new URL(this.settings.redirectUri);
    url.search = query;
    const tokens = await client.authorizationCodeGrant(this.ready(), url, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!tokens.id_token || !claims) throw new Error('no id_token in the token response');
    return { idToken: tokens.id_token, claims: { ...claims } };
  }

  /** RP-initiated logout at the provider, or null when it has no end_session_endpoint or is down. */
  endSessionUrl(idToken: string): URL | null {
    if (!this.available || !this.configuration!.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(this.configuration!, {
      id_token_hint: idToken,
      post_logout_redirect_uri: this.settings.postLogoutRedirectUri.href,
    });
  }
}

/** Thrown when the provider is not (or no longer) reachable. */
export class UniLoginUnavailable extends Error {
  constructor() {
    super('UNI-Login is unavailable');
  }
}

/** An error's name, message and code, without stacks or response bodies that may carry tokens. */
export const errorSummary = (err: unknown) =>
  err instanceof Error
    ? { name: err.name, message: err.message, code: (err as { code?: unknown }).code, cause: (err.cause as Error | undefined)?.message }
    : { message: String(err) };
