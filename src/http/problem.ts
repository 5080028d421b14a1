import type { Context } from 'hono';
import { AppError, PROBLEM_BASE } from './errors.ts';

/** Renders an AppError as application/problem+json; `detail` follows Accept-Language (Danish default). */
export function problemResponse(c: Context, err: AppError): Response {
  const english = /^en\b/i.test(c.req.header('accept-language') ?? '');
  const body = {
    type: PROBLEM_BASE + err.id,
    title: err.en,
    status: err.status,
    detail: english ? err.en : err.da,
    detail_da: err.da,
    detail_en: err.en,
    ...err.extra,
  };
  return new Response(JSON.stringify(body), {
    status: err.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...err.headers },
  });
}

export const internalError = () =>
  new AppError(500, 'internal', 'Der skete en fejl på serveren. Intet gemt arbejde er gået tabt.',
    'The server had an error. No saved work was lost.');
