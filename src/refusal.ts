/**
 * The one shape of a domain refusal: a pure rule answers null (allowed) or this (why not, for people, with a
 * stable id for clients and tests). The HTTP layer turns it into a 409 problem (`refused()` in http/errors.ts).
 */
export interface Refusal {
  id: string;
  da: string;
  en: string;
}

export const refuse = (id: string, da: string, en: string): Refusal => ({ id, da, en });
