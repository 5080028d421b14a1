import type { Context } from 'hono';
import type { AppError } from './errors.ts';

/** Renders an AppError as application/problem+json (RFC 9457); `detail` follows Accept-Language (Danish default). */
export const problemResponse = (c: Context, err: AppError): Response => err.toResponse(c.req.header('accept-language'));
