import { createHash, randomBytes } from 'node:crypto';

/** A session token: 256 random bits, base64url. Only its SHA-256 is stored. */
export const newSessionToken = (): string => randomBytes(32).toString('base64url');

export const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

// No 0/O, 1/I/L: a code is read aloud by an invigilator and typed by a nervous pupil.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/**
 * A one-time access code: 12 characters of a 31-letter alphabet (~59 bits), shown as XXXX-XXXX-XXXX.
 * High entropy is what makes a fast hash (SHA-256) safe for it, instead of bcrypt.
 */
export function newAccessCode(): string {
  const bytes = randomBytes(12);
  let raw = '';
  for (const b of bytes) raw += CODE_ALPHABET[b % CODE_ALPHABET.length];
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/** Accepts codes typed in any case, with or without dashes and spaces. */
export const normaliseAccessCode = (typed: string): string => {
  const raw = typed.toUpperCase().replace(/[\s-]/g, '');
  return raw.length === 12 ? `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}` : raw;
};
