import type { Context } from 'hono';
import type { AppError } from '../../http/errors.ts';

/** A top-level navigation (the browser following a redirect) rather than a script or API client. */
export const wantsHtml = (c: Context): boolean => /\btext\/html\b/.test(c.req.header('accept') ?? '');

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * A refused UNI-Login sign-in as a page: the pupil arrived by redirect, so raw JSON would be all they saw. Same
 * status and stable id as the problem+json; no script, nothing from the request echoed back.
 */
export function errorPage(err: AppError): Response {
  const html = `<!doctype html>
<html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Prøvesal – log ind</title>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}
.problem{border-left:.3rem solid #b00020;padding:.5rem 1rem;background:#fdf0f1}</style></head>
<body><main id="main"><h1>Du er ikke logget ind</h1>
<p class="problem" role="alert" id="login-problem" data-problem="${escape(err.id)}">${escape(err.da)}</p>
<p lang="en">${escape(err.en)}</p>
<p><a href="/">Tilbage til login / Back to sign-in</a></p></main></body></html>`;
  return new Response(html, {
    status: err.status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...err.headers },
  });
}
