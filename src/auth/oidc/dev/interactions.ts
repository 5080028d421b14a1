import type http from 'node:http';
import type Provider from 'oidc-provider';
import type { StandInUser } from './standIn.ts';

/**
 * The stand-in's own login form (oidc-provider's devInteractions never set `acr`): user name and
 * password give EnFaktor; a staff user who also types the code of their second factor gets ToFaktor.
 */
export async function handleInteraction(
  provider: Provider,
  users: Map<string, StandInUser>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const [, , uid, action] = new URL(req.url!, 'http://x').pathname.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, page('Forkert login-forløb', '<p>Start forfra fra tjenesten.</p>'));

  if (req.method === 'GET' && action === 'abort') {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'Brugeren afbrød login' }, { mergeWithLastSubmission: false });
    return;
  }
  if (req.method === 'GET' && !action) return send(res, 200, loginForm(uid, details.params.acr_values === 'ToFaktor', ''));
  if (req.method !== 'POST' || action !== 'login') return send(res, 404, page('Findes ikke', ''));

  const form = new URLSearchParams(await readBody(req));
  const user = users.get((form.get('uniid') ?? '').trim());
  const code = (form.get('code') ?? '').trim();
  const twoFactors = details.params.acr_values === 'ToFaktor';
  if (!user || user.password !== form.get('password')) return send(res, 401, loginForm(uid, twoFactors, 'Forkert brugernavn eller adgangskode.'));
  if (code && code !== user.secondFactor) return send(res, 401, loginForm(uid, twoFactors, 'Koden er forkert.'));
  const acr = code ? 'ToFaktor' : 'EnFaktor';
  await provider.interactionFinished(
    req,
    res,
    {
      login: { accountId: user.uniid, acr, amr: code ? ['pwd', 'otp'] : ['pwd'], remember: false },
    },
    { mergeWithLastSubmission: false },
  );
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error('login form too large');
  }
  return body;
}

function send(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
}

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} – UNI-Login (lokal)</title>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}label,input,button{display:block;width:100%;margin:.3rem 0}
input{padding:.4rem;font:inherit}button{padding:.5rem;font:inherit}.error{color:#b00020}.hint{color:#555;font-size:.9rem}</style></head>
<body><main><p class="hint">Lokal afløser for UNI-Login (npm run oidc:dev) – ikke den rigtige.</p><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function loginForm(uid: string, twoFactorsAsked: boolean, error: string): string {
  return page(
    'Log ind med UNI-Login',
    `
<form method="post" action="/interaction/${escape(uid)}/login" autocomplete="off">
${error ? `<p class="error" role="alert" id="standin-error">${escape(error)}</p>` : ''}
<label for="uniid">Brugernavn</label><input id="uniid" name="uniid" required autofocus autocapitalize="none">
<label for="password">Adgangskode</label><input id="password" name="password" type="password" required>
<label for="code">Kode fra Unilogin-appen (to faktorer${twoFactorsAsked ? ' – påkrævet for personale' : ''})</label>
<input id="code" name="code" inputmode="numeric">
<button type="submit" id="standin-login">Log ind</button>
</form>
<p><a href="/interaction/${escape(uid)}/abort">Annullér</a></p>`,
  );
}
