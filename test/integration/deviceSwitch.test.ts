import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerClose } from '../../src/protocol/closeCodes.ts';
import { AnswerClient } from '../support/answerClient.ts';
import { buildWorld, sessionCookie } from '../support/factories.ts';
import { postJson } from '../support/http.ts';
import { until } from '../support/poll.ts';
import { storedAnswerText } from '../support/storedAnswer.ts';
import { startTestServer } from '../support/testApp.ts';

/** docs/rules.md §4.5: the invigilator's "allow device switch" decides; a device gone for a minute may be replaced. */
let server: Awaited<ReturnType<typeof startTestServer>>;
let world: Awaited<ReturnType<typeof buildWorld>>;
const clients: AnswerClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  world = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 60, candidates: 2 });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.closeAll();
});

async function device(pupil: { id: number; registrationId: number }, name: string) {
  const c = new AnswerClient(server.url, pupil.registrationId, await sessionCookie(server.deps.db, pupil), undefined, { device: name });
  clients.push(c);
  return c;
}
const audited = async (registrationId: number) =>
  (
    await server.deps.db.query("SELECT count(*)::int AS n FROM audit_events WHERE action = 'exam.device_switched' AND subject_id = $1", [
      String(registrationId),
    ])
  ).rows[0].n;

describe('a second device', () => {
  it('is refused while the first is connected, until the invigilator allows one switch', async () => {
    const pupil = world.candidates[0];
    const laptop = await device(pupil, 'laptop-0000001');
    laptop.type('Skrevet på den bærbare.');
    await laptop.waitSaved();

    const tablet = await device(pupil, 'tablet-0000002');
    await tablet.waitClosed(AnswerClose.deviceInUse.code);
    expect(tablet.controls).toContainEqual(expect.objectContaining({ type: 'notice', da: expect.stringContaining('tilsynsførende') }));
    tablet.destroy();
    expect(laptop.provider.wsconnected).toBe(true);
    laptop.type('Stadig min.');
    await laptop.waitSaved();

    const invigilator = await sessionCookie(server.deps.db, world.invigilatorA);
    const allow = await postJson(server.url, `/api/invigilation/registrations/${pupil.registrationId}/device-switch`, invigilator, {
      reason: 'Skærmen gik i stykker',
    });
    expect(allow.status).toBe(200);

    const desktop = await device(pupil, 'desktop-000003');
    await desktop.waitSaved();
    await laptop.waitClosed(AnswerClose.replaced.code);
    expect(desktop.text.toString()).toContain('Stadig min.');
    expect(await audited(pupil.registrationId)).toBe(1);

    // The permission was used up: the next new device is refused again.
    const phone = await device(pupil, 'phone-00000004');
    await phone.waitClosed(AnswerClose.deviceInUse.code);
    expect(await storedAnswerText(server.deps.db, pupil.registrationId)).toContain('Skrevet på den bærbare.');
  });

  it('may replace a device that has been gone for over a minute, without asking', async () => {
    const pupil = world.candidates[1];
    const old = await device(pupil, 'laptop-1000001');
    old.type('Før computeren døde.');
    await old.waitSaved();
    old.destroy();
    await until(
      // The presence row is written a moment after the first save: no row yet means not marked yet.
      async () =>
        (await server.deps.db.query('SELECT connected FROM presence WHERE registration_id = $1', [pupil.registrationId])).rows[0]?.connected === false,
      { what: 'the old device marked disconnected' },
    );

    const early = await device(pupil, 'laptop-2000002');
    await early.waitClosed(AnswerClose.deviceInUse.code);
    early.destroy();

    await server.deps.db.query("UPDATE presence SET changed_at = now() - interval '61 seconds' WHERE registration_id = $1", [pupil.registrationId]);
    const replacement = await device(pupil, 'laptop-3000003');
    await replacement.waitSaved();
    expect(replacement.text.toString()).toContain('Før computeren døde.');
    expect(await audited(pupil.registrationId)).toBe(0);
  });
});
