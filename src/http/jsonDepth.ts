/** Deepest JSON nesting a form takes; a ProseMirror paper gets more (scheduling/schema.ts). */
export const MAX_JSON_DEPTH = 32;

/**
 * How deep the arrays and objects of a JSON text nest, counted by one pass over the characters without recursion
 * (stopping at `limit + 1`): a body nested 5,000 deep must be refused before a recursive parser, validator or
 * serialiser meets it and overflows the stack. Brackets inside strings do not count; the text need not be valid.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: the next character is escaped, even a quote
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > limit) return true;
    } else if (ch === 0x7d || ch === 0x5d) {
      depth--;
    }
  }
  return false;
}
