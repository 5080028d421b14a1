import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Refusal } from '../refusal.ts';

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

  /** The problem document, `detail` in the asked language (Danish unless English is asked for). */
  problem(acceptLanguage?: string): { body: string; contentType: string } {
    const english = /^en\b/i.test(acceptLanguage ?? '');
    const body = {
      type: PROBLEM_BASE + this.id,
      title: this.en,
      status: this.status,
      detail: english ? this.en : this.da,
      detail_da: this.da,
      detail_en: this.en,
      ...this.extra,
    };
    return { body: JSON.stringify(body), contentType: 'application/problem+json; charset=utf-8' };
  }

  /** The error as its own response (like Hono's HTTPException.getResponse). */
  toResponse(acceptLanguage?: string): Response {
    const { body, contentType } = this.problem(acceptLanguage);
    return new Response(body, { status: this.status, headers: { 'content-type': contentType, ...this.headers } });
  }
}

export const PROBLEM_BASE = 'urn:provesal:problem:';

/** A pure rule's refusal (src/refusal.ts) as the 409 it is over HTTP. */
export const refused = (r: Refusal, extra?: Record<string, unknown>) => new AppError(409, r.id, r.da, r.en, extra);

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/** 413 for every body over its limit (JSON, uploads, CSV): one id, the limit in the message. */
export const payloadTooLarge = (limitBytes: number) =>
  new AppError(
    413,
    'payload-too-large',
    `Indholdet er for stort (højst ${megabytes(limitBytes)}).`,
    `The content is too large (${megabytes(limitBytes)} at most).`,
    { limitBytes },
  );

/** 415 for a body of a type the route does not take. */
export const unsupportedMediaType = (accepted: string[]) =>
  new AppError(
    415,
    'unsupported-media-type',
    `Forkert indholdstype. Tilladt: ${accepted.join(', ')}.`,
    `Unsupported content type. Accepted: ${accepted.join(', ')}.`,
    { accepted },
  );

export const noSuchRoute = () => new AppError(404, 'no-such-route', 'Denne adresse findes ikke.', 'No such route.');

/** 403 before a websocket upgrade whose Origin is another site's (cross-site websocket hijacking). */
export const crossOriginSocket = () =>
  new AppError(403, 'cross-origin-socket', 'Forbindelsen kom fra en anden side og blev afvist.', 'The connection came from another site and was refused.');

export const csrfRefused = () =>
  new AppError(403, 'csrf-refused', 'Forespørgslen kom fra en anden side og blev afvist.', 'The request came from another site and was refused.');

export const internalError = () =>
  new AppError(500, 'internal', 'Der skete en fejl på serveren. Intet gemt arbejde er gået tabt.', 'The server had an error. No saved work was lost.');

export const badRequest = (id: string, da: string, en: string, extra?: Record<string, unknown>) => new AppError(400, id, da, en, extra);

/** 400 for input a schema refused: a whole sentence per language (http/validationMessages.ts) and the field's path. */
export const validationFailed = (field: string, da: string, en: string) => new AppError(400, 'validation-failed', da, en, { field });

export const badJson = () => new AppError(400, 'bad-json', 'Forespørgslens indhold er ikke gyldig JSON.', 'The request body is not valid JSON.');

export const jsonTooDeep = (maxDepth: number) =>
  new AppError(
    400,
    'json-too-deep',
    `Indholdet er indlejret for dybt (højst ${maxDepth} niveauer).`,
    `The content is nested too deeply (${maxDepth} levels at most).`,
    { maxDepth },
  );

export const unauthorized = (id = 'unauthenticated', da = 'Du er ikke logget ind.', en = 'You are not signed in.') => new AppError(401, id, da, en);

export const forbidden = (da: string, en: string) => new AppError(403, 'forbidden', da, en);

/** For ids the caller may not know about: 404, never 403, so existence does not leak. */
export const notFound = (what = 'resource') =>
  new AppError(404, 'not-found', 'Findes ikke, eller du har ikke adgang.', `No such ${what}, or you have no access to it.`);

export const conflict = (id: string, da: string, en: string, extra?: Record<string, unknown>) => new AppError(409, id, da, en, extra);

export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError(
    429,
    'rate-limited',
    `For mange forsøg. Prøv igen om ${retryAfterSeconds} s.`,
    `Too many attempts. Try again in ${retryAfterSeconds} s.`,
    { retryAfterSeconds },
    { 'Retry-After': String(retryAfterSeconds) },
  );
