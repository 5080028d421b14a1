import { createHash } from 'node:crypto';
import * as plist from 'plist';

/**
 * Safe Exam Browser's Config Key (SEB developer docs, "Config Key"; reference implementations: SEB for Windows'
 * DataProcessor and Moodle's quizaccess_seb): the settings as "SEB-JSON", then SHA-256 in lowercase hex.
 * SEB-JSON: no whitespace; no character escaping at all (backslashes in URL filters stay single); dictionary keys
 * ordered culture-invariant and case-insensitively (allowWlan before allowWLAN); `originatorVersion` left out;
 * empty dictionaries left out; <data> as Base64; <date> as ISO 8601.
 */
export type PlistValue = string | number | boolean | Date | Uint8Array | PlistValue[] | { [key: string]: PlistValue } | null;

// ICU's root collation is the culture-invariant, case-insensitive-first ordering SEB (Cocoa/.NET) uses.
const collator = new Intl.Collator('und', { sensitivity: 'variant', numeric: false });

function sebJson(value: PlistValue): string {
  if (value === null || value === undefined) return '""';
  if (value instanceof Uint8Array) return `"${Buffer.from(value).toString('base64')}"`;
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (Array.isArray(value)) return `[${value.map(sebJson).join(',')}]`;
  switch (typeof value) {
    case 'string':
      return `"${value}"`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return String(value);
    default: {
      const entries = Object.entries(value)
        .filter(([k, v]) => k !== 'originatorVersion' && !(isDict(v) && Object.keys(v).length === 0))
        .sort(([a], [b]) => collator.compare(a, b));
      return `{${entries.map(([k, v]) => `"${k}":${sebJson(v)}`).join(',')}}`;
    }
  }
}

const isDict = (v: PlistValue): v is { [key: string]: PlistValue } =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);

export const toSebJson = (settings: { [key: string]: PlistValue }): string => sebJson(settings);

/** The Config Key of a settings dictionary: 64 lowercase hex characters. */
export function configKey(settings: { [key: string]: PlistValue }): string {
  return createHash('sha256').update(toSebJson(settings), 'utf8').digest('hex');
}

/** Parses a plain XML-plist .seb document into its settings dictionary. */
export function parseSebPlist(xml: string): { [key: string]: PlistValue } {
  if (!xml.trim()) return {};
  const parsed = plist.parse(xml) as PlistValue;
  if (!isDict(parsed)) throw new Error('A .seb configuration must be a plist whose root is a <dict>.');
  return parsed;
}

/**
 * The value SEB sends in X-SafeExamBrowser-ConfigKeyHash for a request: SHA-256 of the absolute URL without its
 * fragment, followed by the Config Key. Binding the key to the URL means a captured header is useless elsewhere.
 */
export function configKeyHash(absoluteUrl: string, key: string): string {
  return createHash('sha256')
    .update(absoluteUrl.split('#')[0] + key, 'utf8')
    .digest('hex');
}
