import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { verifyAuditChain } from '../../src/audit/auditLog.ts';
import { handIn, type HandInResult } from '../../src/exam/handInFinalizer.ts';
import { handInSet } from '../../src/exam/handInSet.ts';
import { AppError } from '../../src/http/errors.ts';
import { ANSWER_FRAGMENT } from '../../src/protocol/answerDocument.ts';
import { insertUpdates } from '../../src/sync/queries.ts';
import { buildWorld } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const auto = (registrationId: number) => ({ registrationId, by: 'auto' as const, actor: null });
const ok = (o: HandInResult | Error) => {
  if (o instanceof Error) throw o;
  return o;
};

/** An answer stored as autosave leaves it: one paragraph of `text`. */
async function storeAnswer(registrationId: number, text: string): Promise<void> {
  const doc = new Y.Doc();
  const p = new Y.XmlElement('paragraph');
  doc.getXmlFragment(ANSWER_FRAGMENT).insert(0, [p]);
  const t = new Y.XmlText();
  p.insert(0, [t]);
  t.insert(0, text);
  await insertUpdates(app.deps.db, [registrationId], [Y.encodeStateAsUpdate(doc)]);
}

async function ended(candidates: number) {
  const w = await buildWorld(app.deps.db, { startsAt: new Date(Date.now() - 60 * 60_000), durationMinutes: 30, candidates });
  const ids = w.candidates.map((c) => c.registrationId);
  await app.deps.db.query("UPDATE registrations SET state = 'writing' WHERE id = ANY($1)", [ids]);
  return ids;
}

describe('the automatic hand-in of a batch, one statement per step (docs/rules.md §4.6–4.7)', () => {
  it('freezes each answer with its own hash, words, attachment, PDF job and audit entry; refusals and repeats are per pupil', async () => {
    const [a, absent, withFile, earlier] = await ended(4);
    await storeAnswer(a, 'Havet var stille den morgen, og ingen talte.');
    await storeAnswer(withFile, 'Min konstruktion er vedhæftet.');
    const uploadId = randomBytes(16).toString('hex');
    await app.deps.db.query("UPDATE registrations SET state = 'absent' WHERE id = $1", [absent]);
    await app.deps.db.query(
      `INSERT INTO attachment_uploads (id, registration_id, file_name, claimed_kind, size, upload_offset, completed_at, kind, mime_type, sha256)
       VALUES ($1, $2, 'trekant.ggb', 'ggb', 3, 3, now(), 'ggb', 'application/vnd.geogebra.file', $3)`,
      [uploadId, withFile, 'a'.repeat(64)],
    );
    const first = await handIn(app.deps, { registrationId: earlier, by: 'candidate', actor: null });
    const warn = vi.spyOn(app.deps.log, 'warn');

    const [ra, refused, rf, re] = await handInSet(app.deps, [auto(a), auto(absent), auto(withFile), auto(earlier)]);

    expect(warn).not.toHaveBeenCalled(); // the set-wise path, not the pupil-by-pupil fallback
    warn.mockRestore();
    expect((refused as AppError).id).toBe('registration-absent');
    expect(ok(ra).created).toBe(true);
    expect(ok(ra).receipt.sha256).toBe(createHash('sha256').update('Havet var stille den morgen, og ingen talte.', 'utf8').digest('hex'));
    expect(ok(ra).receipt.wordCount).toBe(8);
    expect(ok(rf).receipt.attachments).toEqual([{ id: uploadId, name: 'trekant.ggb', size: 3, sha256: 'a'.repeat(64) }]);
    expect(ok(re)).toEqual({ receipt: first.receipt, created: false });

    const { rows } = await app.deps.db.query<{ rid: string; code: string; state: string; jobs: number; version: number }>(
      `SELECT r.id AS rid, s.receipt_code AS code, r.state, s.version, (SELECT count(*)::int FROM pdf_jobs j WHERE j.submission_id = s.id) AS jobs
         FROM registrations r LEFT JOIN submissions s ON s.registration_id = r.id WHERE r.id = ANY($1) ORDER BY r.id`,
      [[a, absent, withFile, earlier]],
    );
    expect(rows.map((r) => [Number(r.rid), r.code, r.state, r.jobs, r.version])).toEqual([
      [a, ok(ra).receipt.receiptCode, 'handed_in', 1, 1],
      [absent, null, 'absent', 0, null],
      [withFile, ok(rf).receipt.receiptCode, 'handed_in', 1, 1],
      [earlier, first.receipt.receiptCode, 'handed_in', 1, 1],
    ]);
    const audit = await app.deps.db.query<{ subject_id: string; details: { by: string; receiptCode: string } }>(
      "SELECT subject_id, details FROM audit_events WHERE action = 'exam.hand_in' AND subject_id = ANY($1) ORDER BY id",
      [[a, withFile, earlier].map(String)],
    );
    expect(audit.rows.map((r) => [Number(r.subject_id), r.details.by])).toEqual([
      [earlier, 'candidate'],
      [a, 'auto'],
      [withFile, 'auto'],
    ]);
    expect((await verifyAuditChain(app.deps.db)).broken).toBeNull();
  });

  it('leaves a pupil given extra time since the sweep read them writing', async () => {
    const [due, extended] = await ended(2);
    await app.deps.db.query('UPDATE registrations SET extra_minutes = 120 WHERE id = $1', [extended]);
    const [done, notDue] = await handInSet(app.deps, [auto(due), auto(extended)]);
    expect(ok(done).created).toBe(true);
    expect((notDue as AppError).id).toBe('not-due');
    expect((await app.deps.db.query('SELECT state FROM registrations WHERE id = $1', [extended])).rows[0].state).toBe('writing');
  });

  it('when a statement of the batch fails, keeps nothing of it and hands in pupil by pupil instead', async () => {
    const [a, b] = await ended(2);
    await storeAnswer(b, 'Første og eneste udkast.');
    const warn = vi.spyOn(app.deps.log, 'warn');
    // The same pupil twice in one batch: both new submissions would be version 1, which the database refuses.
    const [first, second, again] = await handInSet(app.deps, [auto(a), auto(b), auto(b)]);
    expect(warn).toHaveBeenCalledWith(expect.anything(), 'batch hand-in failed; handing in one by one');
    warn.mockRestore();
    expect(ok(first).created).toBe(true);
    expect(ok(second).created).toBe(true);
    expect(ok(again)).toEqual({ receipt: ok(second).receipt, created: false });
    const { rows } = await app.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM submissions WHERE registration_id = ANY($1)', [[a, b]]);
    expect(rows[0].n).toBe(2);
    expect((await verifyAuditChain(app.deps.db)).broken).toBeNull();
  });
});
