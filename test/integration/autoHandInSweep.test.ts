import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoHandIn } from '../../src/exam/autoHandIn.ts';
import { handInMany } from '../../src/exam/handInFinalizer.ts';
import { AppError } from '../../src/http/errors.ts';
import { verifyAuditChain } from '../../src/audit/auditLog.ts';
import { buildWorld } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('the automatic hand-in sweep (docs/rules.md §4.6)', () => {
  it('hands in a whole ended sitting in one sweep, page after page, several at once, each pupil once', async () => {
    const w = await buildWorld(app.deps.db, { startsAt: new Date(Date.now() - 60 * 60_000), durationMinutes: 30, candidates: 20 });
    const ids = w.candidates.map((c) => c.registrationId);
    // One pupil has extra time: not due yet, so the sweep leaves them writing.
    await app.deps.db.query('UPDATE registrations SET extra_minutes = 120 WHERE id = $1', [ids[3]]);
    const sweeper = new AutoHandIn(app.deps, () => Promise.resolve(), 2_000, undefined, 7);
    await app.deps.db.query("UPDATE registrations SET state = 'writing' WHERE id = ANY($1)", [ids]);

    expect(await sweeper.sweep()).toBe(19);
    const { rows } = await app.deps.db.query<{ registration_id: string; handed_in_by: string }>(
      'SELECT registration_id, handed_in_by FROM submissions WHERE registration_id = ANY($1) ORDER BY registration_id',
      [ids],
    );
    expect(rows.map((r) => Number(r.registration_id))).toEqual(ids.filter((id) => id !== ids[3]));
    expect(new Set(rows.map((r) => r.handed_in_by))).toEqual(new Set(['auto']));
    expect(await sweeper.sweep()).toBe(0);
    await sweeper.stop();
    expect((await verifyAuditChain(app.deps.db)).broken).toBeNull();
  });

  it('hands in a batch in one transaction: a refused pupil is refused alone, a repeated one gets the first receipt', async () => {
    const w = await buildWorld(app.deps.db, { startsAt: new Date(Date.now() - 60 * 60_000), durationMinutes: 30, candidates: 3 });
    const [a, absent, b] = w.candidates.map((c) => c.registrationId);
    await app.deps.db.query("UPDATE registrations SET state = 'writing' WHERE id = ANY($1)", [[a, b]]);
    await app.deps.db.query("UPDATE registrations SET state = 'absent' WHERE id = $1", [absent]);
    const req = (registrationId: number) => ({ registrationId, by: 'auto' as const, actor: null });
    const [first, refused, second, again] = await handInMany(app.deps, [req(b), req(absent), req(a), req(b)]);

    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).id).toBe('registration-absent');
    for (const o of [first, second, again]) expect(o).not.toBeInstanceOf(Error);
    const receipt = (o: unknown) => (o as { receipt: { receiptCode: string } }).receipt.receiptCode;
    expect([(first as { created: boolean }).created, (again as { created: boolean }).created]).toEqual([true, false]);
    expect(receipt(again)).toBe(receipt(first));
    const { rows } = await app.deps.db.query<{ subject_id: string }>(
      "SELECT subject_id FROM audit_events WHERE action = 'exam.hand_in' AND subject_id = ANY($1) ORDER BY id",
      [[a, absent, b].map(String)],
    );
    // Appended in registration order (the order the rows were locked), once per pupil handed in.
    expect(rows.map((r) => Number(r.subject_id))).toEqual([a, b]);
    expect((await app.deps.db.query('SELECT state FROM registrations WHERE id = $1', [absent])).rows[0].state).toBe('absent');
    expect((await verifyAuditChain(app.deps.db)).broken).toBeNull();
  });
});
