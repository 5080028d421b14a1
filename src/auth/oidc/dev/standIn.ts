import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type JWK, type KoaContextWithOIDC } from 'oidc-provider';
import { handleInteraction } from './interactions.ts';

/**
 * A local stand-in for UNI-Login: a real, certified OpenID provider (oidc-provider 9) that speaks like STIL's
 * broker — `uniid`, `aktoer_gruppe`, `institution_ids`, and `acr` EnFaktor/ToFaktor — with its own login form.
 * Used by `npm run oidc:dev`, the integration tests and the browser test. Never part of the production server.
 */

export interface StandInUser {
  uniid: string;
  name: string;
  aktoerGruppe: 'Elev' | 'Medarbejder' | 'Ekstern';
  institutionIds: string[];
  password: string;
  /** The code of the user's second factor (UNI-Login's app); typing it too makes the sign-in ToFaktor. */
  secondFactor?: string;
}

export interface StandInClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

export interface StandInOptions {
  users: StandInUser[];
  clients: StandInClient[];
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Seconds an id_token lives. */
  idTokenTtl?: number;
}

export interface UniLoginStandIn {
  issuer: string;
  port: number;
  /** The private signing key (JWK): tests sign tokens with it to prove the relying party checks claims, not only signatures. */
  signingKey: JWK;
  /** Adds or replaces a person (tests create them after the database rows they must match). */
  addUser(u: StandInUser): void;
  close(): Promise<void>;
}

/** The claims UNI-Login releases, mapped to the openid scope so that `OIDC_SCOPES=openid` suffices. */
const UNI_LOGIN_CLAIMS = ['sub', 'uniid', 'aktoer_gruppe', 'institution_ids', 'name', 'acr', 'amr'];

export async function startUniLoginStandIn(o: StandInOptions): Promise<UniLoginStandIn> {
  const host = o.host ?? '127.0.0.1';
  let provider: Provider | null = null;
  const users = new Map(o.users.map((u) => [u.uniid, u]));
  const server = http.createServer((req, res) => {
    if (!provider) {
      res.writeHead(503).end();
      return;
    }
    if (req.url?.startsWith('/interaction/')) {
      handleInteraction(provider, users, req, res).catch((err: unknown) => {
        console.error('UNI-Login stand-in: interaction failed', err);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Fejl i login-formularen.');
      });
      return;
    }
    void provider.callback()(req, res);
  });
  // The issuer names the port, so listen first (port 0 → a free one), then build the provider.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://${host}:${port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: `standin-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' } as JWK;
  provider = new Provider(issuer, configuration(o, users, signingKey));
  return {
    issuer,
    port,
    signingKey,
    addUser: (u) => {
      users.set(u.uniid, u);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function configuration(o: StandInOptions, users: Map<string, StandInUser>, signingKey: JWK): Configuration {
  return {
    clients: o.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    // PKCE is optional for confidential clients unless required; custom claims reach the id_token only
    // with conformIdTokenClaims off; acr needs acrValues and is set by our own login form.
    pkce: { required: () => true },
    conformIdTokenClaims: false,
    acrValues: ['EnFaktor', 'ToFaktor'],
    claims: { openid: UNI_LOGIN_CLAIMS },
    scopes: ['openid'],
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource },
    },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const u = users.get(sub);
      if (!u) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, uniid: u.uniid, aktoer_gruppe: u.aktoerGruppe, institution_ids: u.institutionIds, name: u.name }),
      };
    },
    // A first-party stand-in: no consent screen; the grant covers whatever the client asked for.
    loadExistingGrant: async (ctx) => {
      const clientId = ctx.oidc.client!.clientId;
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(clientId);
      const grant =
        (grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined) ??
        new ctx.oidc.provider.Grant({ clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
      grant.addOIDCClaims(UNI_LOGIN_CLAIMS);
      await grant.save();
      return grant;
    },
    ttl: { AuthorizationCode: 60, IdToken: o.idTokenTtl ?? 600, AccessToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  };
}

/** The provider's "sign out?" page, in Danish and without fonts from the internet (the default loads Google's). */
function logoutSource(ctx: KoaContextWithOIDC, form: string): void {
  ctx.body = `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>UNI-Login (lokal) – log ud</title></head>
<body><main><h1>Log ud af UNI-Login?</h1>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Ja, log ud</button>
<button type="submit" form="op.logoutForm">Nej</button></main></body></html>`;
}
