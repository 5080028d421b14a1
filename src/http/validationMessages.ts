import type { z } from 'zod';

/**
 * A refused input is explained to the person who typed it, in a sentence that names the field as the form
 * labels it and says what to write instead. zod's own messages ("Invalid input: expected number, received
 * null") speak of types and nulls, which means nothing to a school administrator. Pure: issue in, text out.
 */
export interface Sentence {
  da: string;
  en: string;
}

/** The labels the forms show, by the input's field name; a field not named here is shown by its name. */
const LABELS: Record<string, [string, string]> = {
  subject: ['Fag', 'Subject'],
  level: ['Niveau', 'Level'],
  startDate: ['Dato', 'Date'],
  startTime: ['Starttid', 'Start time'],
  durationMinutes: ['Varighed (minutter)', 'Duration (minutes)'],
  lobbyOpensMinutes: ['Lobbyen åbner (minutter før)', 'Lobby opens (minutes before)'],
  schoolIds: ['Deltagende skoler', 'Participating schools'],
  lockdownProfile: ['Låseprofil', 'Lockdown profile'],
  reason: ['Begrundelse', 'Reason'],
  name: ['Navn', 'Name'],
  displayName: ['Navn', 'Name'],
  username: ['Brugernavn', 'Username'],
  password: ['Adgangskode', 'Password'],
  code: ['Engangskode', 'One-time code'],
  sittingId: ['Prøve', 'Sitting'],
  roomId: ['Lokale', 'Room'],
  userId: ['Bruger', 'User'],
  candidateIds: ['Elever', 'Pupils'],
  registrationId: ['Tilmelding', 'Registration'],
  className: ['Klasse', 'Class'],
  extraMinutes: ['Ekstra minutter', 'Extra minutes'],
  minutes: ['Minutter', 'Minutes'],
  grade: ['Karakter', 'Grade'],
  note: ['Bemærkning', 'Note'],
  kind: ['Type', 'Kind'],
  id: ['Id', 'Id'],
  attachments: ['Vedhæftede filer', 'Attachments'],
};

/** The form's label for an issue's path: `schoolIds.3` is labelled as `schoolIds`. */
export function fieldLabel(path: readonly PropertyKey[]): Sentence {
  const key = [...path].reverse().find((p): p is string => typeof p === 'string');
  if (!key) return { da: 'Indholdet', en: 'The content' };
  const [da, en] = LABELS[key] ?? [key, key];
  return { da, en };
}

const TYPE_NAMES: Record<string, [string, string]> = {
  number: ['et tal', 'a number'],
  int: ['et helt tal', 'a whole number'],
  string: ['tekst', 'text'],
  boolean: ['ja eller nej', 'yes or no'],
  array: ['en liste', 'a list'],
  object: ['et sæt felter', 'a set of fields'],
};

/** A schema's own hint, written "dansk / English" (e.g. the date format); null when zod wrote the message. */
function ownHint(message: string): Sentence | null {
  if (message === DEFAULT_MARK || !message) return null;
  const [da, en] = message.split(' / ');
  return { da: da.trim(), en: (en ?? da).trim() };
}

/** What a parse's error map returns so that a schema's own message can be told apart from zod's. */
export const DEFAULT_MARK = '\u0000zod-default';

const s = (da: string, en: string): Sentence => ({ da, en });
const list = (values: readonly unknown[]) => values.map((v) => String(v)).join(', ');

/** One issue as a Danish and an English sentence naming the field. */
export function describeIssue(issue: z.core.$ZodIssue): Sentence {
  const f = fieldLabel(issue.path);
  const hint = ownHint(issue.message);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined || input === null || (typeof input === 'number' && Number.isNaN(input)))
        return s(`Udfyld feltet »${f.da}«.`, `Fill in the field "${f.en}".`);
      const [da, en] = TYPE_NAMES[issue.expected] ?? TYPE_NAMES.string;
      return s(`»${f.da}« skal være ${da}.`, `"${f.en}" must be ${en}.`);
    }
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'string') {
        return n <= 1 || input === ''
          ? s(`Udfyld feltet »${f.da}«${n > 1 ? ` (mindst ${n} tegn)` : ''}.`, `Fill in the field "${f.en}"${n > 1 ? ` (at least ${n} characters)` : ''}.`)
          : s(`»${f.da}« skal være mindst ${n} tegn.`, `"${f.en}" must be at least ${n} characters.`);
      }
      if (issue.origin === 'array' || issue.origin === 'set')
        return n <= 1
          ? s(`Vælg mindst én i »${f.da}«.`, `Choose at least one in "${f.en}".`)
          : s(`Vælg mindst ${n} i »${f.da}«.`, `Choose at least ${n} in "${f.en}".`);
      return issue.inclusive
        ? s(`»${f.da}« skal være mindst ${n}.`, `"${f.en}" must be at least ${n}.`)
        : s(`»${f.da}« skal være større end ${n}.`, `"${f.en}" must be greater than ${n}.`);
    }
    case 'too_big': {
      const n = Number(issue.maximum);
      if (issue.origin === 'string') return s(`»${f.da}« må højst være ${n} tegn.`, `"${f.en}" may be at most ${n} characters.`);
      if (issue.origin === 'array' || issue.origin === 'set') return s(`Vælg højst ${n} i »${f.da}«.`, `Choose at most ${n} in "${f.en}".`);
      return s(`»${f.da}« må højst være ${n}.`, `"${f.en}" may be at most ${n}.`);
    }
    case 'invalid_format':
      return hint
        ? s(`»${f.da}« skal skrives som ${hint.da}.`, `"${f.en}" must be written as ${hint.en}.`)
        : s(`»${f.da}« har ikke den rigtige form.`, `"${f.en}" is not in the right form.`);
    case 'invalid_value':
      return s(`»${f.da}« skal være en af: ${list(issue.values)}.`, `"${f.en}" must be one of: ${list(issue.values)}.`);
    case 'invalid_union': {
      const values = issue.errors.flat().flatMap((e) => (e.code === 'invalid_value' ? e.values : []));
      if (hint) return s(`»${f.da}«: ${hint.da}.`, `"${f.en}": ${hint.en}.`);
      return values.length
        ? s(`»${f.da}« skal være en af: ${list(values)}.`, `"${f.en}" must be one of: ${list(values)}.`)
        : s(`»${f.da}« har en værdi, der ikke kan bruges.`, `"${f.en}" has a value that cannot be used.`);
    }
    case 'unrecognized_keys':
      return s(`Ukendte felter: ${list(issue.keys)}.`, `Unknown fields: ${list(issue.keys)}.`);
    case 'not_multiple_of':
      return s(`»${f.da}« skal gå op i ${String(issue.divisor)}.`, `"${f.en}" must be a multiple of ${String(issue.divisor)}.`);
    default:
      return hint
        ? s(`»${f.da}«: ${hint.da}.`.replace(/\.\.$/, '.'), `"${f.en}": ${hint.en}.`.replace(/\.\.$/, '.'))
        : s(`»${f.da}« kan ikke bruges.`, `"${f.en}" cannot be used.`);
  }
}
