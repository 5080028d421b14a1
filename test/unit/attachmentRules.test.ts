import { fileTypeFromBuffer } from 'file-type';
import { describe, expect, it } from 'vitest';
import { claimedKind, fileNameOf, recognise } from '../../src/attachments/kinds.ts';
import { allowedKinds, decideNewUpload, decideWrite, mayReadAttachments, type NewUpload } from '../../src/attachments/rules.ts';
import { centralDirectoryOf, entryNamesOf, ZIP_TAIL_BYTES } from '../../src/attachments/zipEntries.ts';
import type { WindowInput } from '../../src/exam/window.ts';
import type { Actor } from '../../src/http/context.ts';
import { docx, ggb, ods, pdf, plainZip, png, xlsx } from '../support/attachmentFiles.ts';

const MB = 1024 * 1024;
const startsAt = new Date('2027-05-04T07:00:00.000Z');
const writing = new Date(startsAt.getTime() + 60 * 60_000);
const window: WindowInput = {
  startsAt,
  durationMinutes: 120,
  lobbyOpensMinutes: 30,
  extraMinutes: 0,
  pausedSeconds: 0,
  pausedAt: null,
  endedAt: null,
  handedInAt: null,
  state: 'writing',
};
const upload = (o: Partial<NewUpload> = {}): NewUpload => ({
  window,
  now: writing,
  graceSeconds: 30,
  locked: false,
  allowed: ['image', 'pdf', 'ggb'],
  size: 1 * MB,
  claimed: 'pdf',
  usage: { files: 0, bytes: 0 },
  limits: { maxFiles: 10, maxFileBytes: 20 * MB, quotaBytes: 100 * MB },
  ...o,
});

describe('file names', () => {
  it.each([
    ['C:\\Users\\elev\\Skrivebord\\graf.ggb', 'graf.ggb'],
    ['/home/elev/../../etc/passwd', 'passwd'],
    ['mappe/undermappe/opgave 3.pdf', 'opgave 3.pdf'],
    ['..\\..\\boot.ini', 'boot.ini'],
    ['.htaccess', 'htaccess'],
    ['fil\u0000med\u001fkontrol.png', 'filmedkontrol.png'],
    ['', 'vedhæftning'],
    [null, 'vedhæftning'],
    ['////', 'vedhæftning'],
    ['Æblegrød på første side.docx', 'Æblegrød på første side.docx'],
  ])('lists %j as %j', (raw, expected) => {
    expect(fileNameOf(raw)).toBe(expected);
  });

  it('cuts a long name to 200 characters and keeps its extension', () => {
    const name = fileNameOf(`${'å'.repeat(500)}.xlsx`);
    expect([...name]).toHaveLength(200);
    expect(name.endsWith('.xlsx')).toBe(true);
  });
});

describe('the kind a file claims', () => {
  it.each([
    ['foto.JPG', null, 'image'],
    ['foto.jpeg', 'application/pdf', 'image'],
    ['graf.ggb', null, 'ggb'],
    ['ark.ods', null, 'ods'],
    ['ark.xlsx', null, 'xlsx'],
    ['tekst.docx', null, 'docx'],
    ['uden-endelse', 'application/pdf', 'pdf'],
    ['tegning.svg', 'image/svg+xml', null],
    ['program.exe', 'application/octet-stream', null],
    ['side.html', 'text/html', null],
  ] as const)('%s (%s) claims %s', (name, mime, kind) => {
    expect(claimedKind(name, mime)).toBe(kind);
  });
});

describe('the kind the bytes prove', () => {
  const sniff = async (b: Buffer) => {
    const t = await fileTypeFromBuffer(b);
    const dir = centralDirectoryOf(b.subarray(Math.max(0, b.length - ZIP_TAIL_BYTES)), b.length);
    const zipEntries = dir ? entryNamesOf(b.subarray(dir.offset, dir.offset + dir.size), dir.count) : null;
    return recognise({ ext: t?.ext ?? null, mime: t?.mime ?? null, zipEntries })?.kind ?? null;
  };

  it.each([
    ['a PNG', png(), 'image'],
    ['a PDF', pdf(), 'pdf'],
    ['a Word document', docx(), 'docx'],
    ['an Excel workbook', xlsx(), 'xlsx'],
    ['an OpenDocument spreadsheet', ods(), 'ods'],
    ['a GeoGebra file (geogebra.xml not first)', ggb(), 'ggb'],
    ['a ZIP of something else', plainZip(), null],
    ['HTML with a script', Buffer.from('<!doctype html><script>alert(1)</script>'), null],
    ['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), null],
    ['random bytes', Buffer.from('MZ\x90\x00 not really a program'), null],
  ])('%s is %s', async (_what, bytes, kind) => {
    expect(await sniff(bytes)).toBe(kind);
  });

  it('reads every entry name from the central directory, wherever it sits', () => {
    const b = ggb(70_000);
    const dir = centralDirectoryOf(b.subarray(b.length - ZIP_TAIL_BYTES), b.length)!;
    expect(entryNamesOf(b.subarray(dir.offset, dir.offset + dir.size), dir.count)).toEqual([
      'geogebra_thumbnail.png',
      'geogebra.xml',
      'geogebra_javascript.js',
    ]);
  });

  it('finds no directory in a file that is not a ZIP, or whose directory points outside the file', () => {
    expect(centralDirectoryOf(pdf(), pdf().length)).toBeNull();
    const b = Buffer.from(plainZip());
    b.writeUInt32LE(b.length + 100, b.length - 6); // the EOCD's directory offset
    expect(centralDirectoryOf(b, b.length)).toBeNull();
  });
});

describe("the sitting's aids profile", () => {
  it.each([
    [{}, []],
    [{ attachments: false }, []],
    [{ attachments: true }, ['image', 'pdf', 'ggb', 'xlsx', 'ods', 'docx']],
    [{ attachments: ['ggb', 'pdf', 'exe', 7] }, ['pdf', 'ggb']],
    [{ attachments: 'all' }, []],
    [null, []],
  ])('%j allows %j', (aids, kinds) => {
    expect(allowedKinds(aids)).toEqual(kinds);
  });
});

describe('starting an upload', () => {
  it('admits a file within every limit', () => {
    expect(decideNewUpload(upload())).toBeNull();
  });

  it.each([
    ['a file over the per-file limit', { size: 20 * MB + 1 }, 413, 'attachment-too-large'],
    ['a file of exactly the per-file limit', { size: 20 * MB }, null, null],
    ['an empty file', { size: 0 }, 400, 'attachment-empty'],
    ['a type the profile does not list', { claimed: 'docx' as const }, 415, 'attachment-type-not-allowed'],
    ['a file that claims no known type', { claimed: null }, 415, 'attachment-type-not-allowed'],
    ['any file when the profile allows none', { allowed: [] }, 415, 'attachments-not-allowed'],
    ['an eleventh file', { usage: { files: 10, bytes: 10 * MB } }, 409, 'attachment-count-exceeded'],
    ['a file that would pass the quota', { usage: { files: 5, bytes: 90 * MB }, size: 10 * MB + 1 }, 413, 'attachment-quota-exceeded'],
    ['a file that fills the quota exactly', { usage: { files: 5, bytes: 90 * MB }, size: 10 * MB }, null, null],
    ['a file after the end plus grace', { now: new Date(startsAt.getTime() + 120 * 60_000 + 30_000) }, 409, 'attachment-window-closed'],
    ['a file during the grace seconds', { now: new Date(startsAt.getTime() + 120 * 60_000 + 29_999) }, null, null],
    ['a file before the start', { now: new Date(startsAt.getTime() - 1) }, 409, 'attachment-window-closed'],
    ['a file after hand-in', { window: { ...window, state: 'handed_in' } }, 409, 'attachment-window-closed'],
    ['a file while the answer is locked', { locked: true }, 409, 'answer-locked'],
  ])('%s → %s %s', (_what, o, status, id) => {
    const r = decideNewUpload(upload(o as Partial<NewUpload>));
    expect(r && { status: r.status, id: r.id }).toEqual(status === null ? null : { status, id });
  });

  it('says the limit in Danish megabytes', () => {
    expect(decideNewUpload(upload({ size: 21 * MB }))?.da).toBe('Filen er for stor. En fil må højst fylde 20 MB.');
  });

  it('refuses further bytes once the window has closed', () => {
    expect(decideWrite(window, writing, 30, false)).toBeNull();
    expect(decideWrite({ ...window, endedAt: writing }, writing, 0, false)?.id).toBe('attachment-window-closed');
  });
});

describe('who reads attachments', () => {
  const actor = (role: Actor['role'], userId = 7): Actor => ({ userId, username: 'x', displayName: 'x', role, schoolId: 1, sessionId: 1 });
  it.each([
    ['the owning pupil', actor('candidate', 7), false, true],
    ['another pupil', actor('candidate', 8), false, false],
    ['a pupil who is also listed as staff (never)', actor('candidate', 8), true, false],
    ['a grader of the sitting', actor('grader'), true, true],
    ['a grader of another sitting', actor('grader'), false, false],
    ['an invigilator of the sitting', actor('invigilator'), true, true],
    ['the ministry', actor('ministry'), true, false],
  ])('%s: %s', (_what, a, staff, may) => {
    expect(mayReadAttachments(a, { ownerUserId: 7, sittingStaff: staff })).toBe(may);
  });
});
