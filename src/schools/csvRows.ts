import { parse } from 'csv-parse/sync';

/**
 * Candidate CSV files as schools really export them (docs/rules.md §3): UTF-8 with or without BOM, `;` (Danish Excel)
 * or `,`, Danish or English headers, accommodations in their own columns or as free text. Pure: text in,
 * rows and per-line refusals out.
 */
export interface CandidateRow {
  line: number;
  name: string;
  uniId: string;
  className: string;
  extraMinutes: number;
  textToSpeech: boolean;
  largeText: boolean;
  highContrast: boolean;
}
export interface RowRefusal {
  line: number;
  uniId: string | null;
  reason: { da: string; en: string };
}

const HEADERS: Record<string, keyof Omit<CandidateRow, 'line'> | 'accommodations'> = {
  navn: 'name',
  name: 'name',
  'fulde navn': 'name',
  'full name': 'name',
  elev: 'name',
  'uni-id': 'uniId',
  uniid: 'uniId',
  'uni id': 'uniId',
  'uni-login': 'uniId',
  unilogin: 'uniId',
  brugernavn: 'uniId',
  username: 'uniId',
  uni_id: 'uniId',
  klasse: 'className',
  class: 'className',
  'ekstra minutter': 'extraMinutes',
  'ekstra tid': 'extraMinutes',
  'forlænget tid': 'extraMinutes',
  'extra minutes': 'extraMinutes',
  extra_minutes: 'extraMinutes',
  oplæsning: 'textToSpeech',
  tts: 'textToSpeech',
  'text-to-speech': 'textToSpeech',
  text_to_speech: 'textToSpeech',
  'stor skrift': 'largeText',
  'large text': 'largeText',
  large_text: 'largeText',
  kontrast: 'highContrast',
  'høj kontrast': 'highContrast',
  'high contrast': 'highContrast',
  high_contrast: 'highContrast',
  tilpasninger: 'accommodations',
  accommodations: 'accommodations',
  hensyn: 'accommodations',
};

const YES = new Set(['ja', 'j', 'yes', 'y', 'x', '1', 'true', 'sand']);
const NO = new Set(['', 'nej', 'n', 'no', '0', 'false', 'falsk']);

export function detectDelimiter(text: string): ';' | ',' {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return (first.match(/;/g)?.length ?? 0) >= (first.match(/,/g)?.length ?? 0) ? ';' : ',';
}

const refusal = (line: number, uniId: string | null, da: string, en: string): RowRefusal => ({ line, uniId, reason: { da, en } });

/** Parses and validates a whole file; a duplicate uni-id keeps its first row and refuses the others. */
export function parseCandidateCsv(text: string): { rows: CandidateRow[]; refused: RowRefusal[]; fileError?: { da: string; en: string } } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // `info` carries each record's own line in the file (empty lines are skipped, so indexes would drift).
    records = parse(text, {
      bom: true,
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      relax_quotes: true,
      info: true,
    }) as unknown as typeof records;
  } catch (err) {
    return {
      rows: [],
      refused: [],
      fileError: { da: `Filen kunne ikke læses som CSV: ${(err as Error).message}`, en: `The file could not be read as CSV: ${(err as Error).message}` },
    };
  }
  if (!records.length) return { rows: [], refused: [], fileError: { da: 'Filen er tom.', en: 'The file is empty.' } };
  const columns = records[0].record.map((h) => HEADERS[h.toLowerCase().replace(/\s+/g, ' ').trim()]);
  if (!columns.includes('name') || !columns.includes('uniId')) {
    return {
      rows: [],
      refused: [],
      fileError: {
        da: 'Første linje skal have kolonnerne navn og uni-id (eller brugernavn).',
        en: 'The first line must name the columns name and uni-id (or username).',
      },
    };
  }
  const rows: CandidateRow[] = [];
  const refused: RowRefusal[] = [];
  const seen = new Map<string, number>();
  records.slice(1).forEach(({ record: cells, info }) => {
    const line = info.lines;
    if (cells.every((c) => c === '')) return;
    const get = (key: string) => {
      const at = columns.indexOf(key as never);
      return at >= 0 ? (cells[at] ?? '') : '';
    };
    const result = toRow(line, get);
    if ('reason' in result) {
      refused.push(result);
      return;
    }
    const key = result.uniId.toLowerCase();
    if (seen.has(key)) {
      refused.push(
        refusal(
          line,
          result.uniId,
          `Uni-id ${result.uniId} står også på linje ${seen.get(key)}.`,
          `Uni-id ${result.uniId} also appears on line ${seen.get(key)}.`,
        ),
      );
      return;
    }
    seen.set(key, line);
    rows.push(result);
  });
  return { rows, refused };
}

function toRow(line: number, get: (k: string) => string): CandidateRow | RowRefusal {
  const name = get('name').replace(/\s+/g, ' ');
  const uniId = get('uniId');
  if (!name) return refusal(line, uniId || null, 'Navn mangler.', 'The name is missing.');
  if (name.length > 200) return refusal(line, uniId || null, 'Navnet er for langt.', 'The name is too long.');
  if (!uniId) return refusal(line, null, 'Uni-id/brugernavn mangler.', 'The uni-id/username is missing.');
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{1,99}$/.test(uniId))
    return refusal(
      line,
      uniId,
      `Uni-id "${uniId}" må kun indeholde bogstaver a–z, tal og . _ @ -`,
      `Uni-id "${uniId}" may only contain letters a–z, digits and . _ @ -`,
    );
  const free = get('accommodations').toLowerCase();
  const extraRaw = get('extraMinutes') || (/(\d+)\s*min/.exec(free)?.[1] ?? '');
  const extraMinutes = extraRaw.trim() === '' ? 0 : /^\d+$/.test(extraRaw.trim()) ? Number(extraRaw.trim()) : NaN;
  if (!Number.isInteger(extraMinutes) || extraMinutes < 0 || extraMinutes > 600) {
    return refusal(
      line,
      uniId,
      `Ekstra minutter "${extraRaw}" skal være et helt tal fra 0 til 600.`,
      `Extra minutes "${extraRaw}" must be a whole number from 0 to 600.`,
    );
  }
  const flag = (key: string, words: RegExp): boolean | null => {
    const v = get(key).toLowerCase();
    if (YES.has(v)) return true;
    if (NO.has(v)) return words.test(free);
    return null;
  };
  const textToSpeech = flag('textToSpeech', /oplæsning|tts|text-to-speech/);
  const largeText = flag('largeText', /stor skrift|large text/);
  const highContrast = flag('highContrast', /kontrast|contrast/);
  if (textToSpeech === null || largeText === null || highContrast === null) {
    return refusal(line, uniId, 'Tilpasninger skal være ja/nej.', 'Accommodation columns must be yes/no.');
  }
  return { line, name, uniId, className: get('className').slice(0, 50), extraMinutes, textToSpeech, largeText, highContrast };
}
