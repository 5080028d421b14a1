import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An error a client may see. `id` is stable (clients and tests match on it); the messages are for people,
 * Danish first. The root handler renders it as application/problem+json (RFC 9457).
 */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly id: string,
    readonly da: string,
    readonly en: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(en);
  }
}

export const PROBLEM_BASE = 'urn:provesal:problem:';

export const badRequest = (id: string, da: string, en: string, extra?: Record<string, unknown>) =>
  new AppError(400, id, da, en, extra);

export const validationFailed = (field: string, problem: string) =>
  new AppError(400, 'validation-failed', `Ugyldigt input i feltet "${field}": ${problem}`,
    `Invalid input in field "${field}": ${problem}`, { field });

export const badJson = () =>
  new AppError(400, 'bad-json', 'Forespørgslens indhold er ikke gyldig JSON.', 'The request body is not valid JSON.');

export const unauthorized = (id = 'unauthenticated', da = 'Du er ikke logget ind.', en = 'You are not signed in.') =>
  new AppError(401, id, da, en);

export const forbidden = (da: string, en: string) => new AppError(403, 'forbidden', da, en);

/** For ids the caller may not know about: 404, never 403, so existence does not leak. */
export const notFound = (what = 'resource') =>
  new AppError(404, 'not-found', 'Findes ikke, eller du har ikke adgang.', `No such ${what}, or you have no access to it.`);

export const conflict = (id: string, da: string, en: string, extra?: Record<string, unknown>) =>
  new AppError(409, id, da, en, extra);

export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError(429, 'rate-limited',
    `For mange forsøg. Prøv igen om ${retryAfterSeconds} s.`,
    `Too many attempts. Try again in ${retryAfterSeconds} s.`,
    { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });
